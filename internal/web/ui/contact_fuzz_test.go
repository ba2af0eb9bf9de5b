package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// No post of the public contact form gets a 500 or a panic, whatever its
// fields, its file or its raw body. The seeds (here and in
// testdata/fuzz/FuzzContactForm) run with every `go test`;
// `go test -fuzz FuzzContactForm ./internal/web/ui/` explores further.
func FuzzContactForm(f *testing.F) {
	f.Add("1", "jean@example.fr", "CMD-1", "Bouilloire", "Bonjour", "photo.png", png, []byte(nil))
	f.Add("2", "Jean <jean@example.fr>", "\x00", "", "\xff\xfe", "", []byte(nil), []byte(nil))
	f.Add("999", "a@b.c", "K-1"+string(make([]byte, 80)), "p", "m", "../../etc/passwd", []byte("%PDF-1.4 x"), []byte(nil))
	f.Add("-1", "", "", "", "", "a.txt", []byte("<html><script>alert(1)</script>"), []byte(nil))
	f.Add("1", "x@y.fr", "", "", "m", "", []byte(nil), []byte("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\x00\"\r\n\r\n\r\n--B--"))
	f.Add("1", "x@y.fr", "", "", "m", "", []byte(nil), []byte("--B\r\nContent-Disposition: form-data; name=contact\r\n\r\n1\r\n--B"))
	e := newEnv(f)
	e.serviceSetup()
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, contact, email, order, product, message, fileName string, file, raw []byte) {
		var body bytes.Buffer
		contentType := "multipart/form-data; boundary=B"
		if len(raw) > 0 {
			body.Write(raw)
		} else {
			w := multipart.NewWriter(&body)
			for k, v := range map[string]string{"contact": contact, "email": email, "order_ref": order, "product": product, "message": message,
				"issued": strconv.FormatInt(time.Now().Add(-time.Minute).UnixMilli(), 10)} {
				w.WriteField(k, v)
			}
			if file != nil {
				fw, _ := w.CreateFormFile("file", fileName)
				fw.Write(file)
			}
			w.Close()
			contentType = w.FormDataContentType()
		}
		req := httptest.NewRequest("POST", "/contact", &body)
		req.Header.Set("Content-Type", contentType)
		i := n.Add(1)
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:4000", i>>16&255, i>>8&255, i&255) // one address per post: past the rate limit
		rec := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.Code >= http.StatusInternalServerError {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
}
