package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

//go:embed static
var staticFS embed.FS

// assetSet serves the embedded static files under content-hash URLs
// (/assets/<hash>/<name>), cached for a year: a new build changes the URL.
type assetSet struct {
	files map[string]asset // by name
}

type asset struct {
	hash string
	data []byte
	ct   string
}

func loadAssets() *assetSet {
	s := &assetSet{files: map[string]asset{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(data)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.files[e.Name()] = asset{hash: hex.EncodeToString(sum[:6]), data: data, ct: ct}
	}
	return s
}

// URL returns the cacheable URL of a static file; templates call it as "asset".
func (s *assetSet) URL(name string) string {
	a, ok := s.files[name]
	if !ok {
		panic("ui: unknown asset " + name) // a template bug, found by the first test
	}
	return "/assets/" + a.hash + "/" + name
}

func (s *assetSet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := s.files[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.PathValue("hash") == a.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// A page from an older build asks for an older file: give the current
		// one, but do not let it be cached under the old URL.
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
}
