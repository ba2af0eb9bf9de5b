package htmlsafe

import (
	"strings"
	"testing"
)

func TestImagesBlocksRemoteSourcesAndResolvesCID(t *testing.T) {
	cid := func(id string) string {
		if id == "image001.png@01DA" {
			return "/api/v1/attachments/7"
		}
		return ""
	}
	tests := []struct {
		name      string
		in        string
		show      bool
		remote    int
		forbidden []string
		kept      []string
	}{
		{"tracking pixel", `<p>Bonjour</p><img src="https://pixel.example.net/open.gif" width="1" height="1">`, false, 1,
			[]string{` src=`}, []string{`<p>Bonjour</p>`, `data-remote-src="https://pixel.example.net/open.gif"`, `width="1"`}},
		{"http and protocol-relative", `<img src="http://a.example/x.png"><img src="//b.example/y.png" alt="logo">`, false, 2,
			[]string{` src=`}, []string{`data-remote-src="http://a.example/x.png"`, `data-remote-src="//b.example/y.png"`, `alt="logo"`}},
		{"srcset, background, poster", `<img srcset="https://c.example/x.png 1x, https://c.example/x2.png 2x"><td background="https://d.example/bg.png">x</td><video poster="https://e.example/p.png"></video>`, false, 3,
			[]string{` srcset=`, ` background=`, ` poster=`}, []string{`data-remote-srcset="https://c.example/x.png 1x, https://c.example/x2.png 2x"`, `data-remote-background=`, `data-remote-poster=`}},
		{"cid resolved to the attachment", `<img src="cid:image001.png@01DA" alt="photo">`, false, 0,
			nil, []string{`src="/api/v1/attachments/7"`, `alt="photo"`}},
		{"cid escaped, resolved", `<img src="cid:image001.png%4001DA">`, false, 0, nil, []string{`src="/api/v1/attachments/7"`}},
		{"cid unknown, kept", `<img src="cid:other@x">`, false, 0, nil, []string{`src="cid:other@x"`}},
		{"data image kept", `<img src="data:image/png;base64,AAAA">`, false, 0, nil, []string{`src="data:image/png;base64,AAAA"`}},
		{"relative source dropped", `<img src="/tickets/3" alt="x">`, false, 0, []string{`src=`}, []string{`<img alt="x">`}},
		{"shown on demand, as https", `<img src="http://a.example/x.png"><img src="//b.example/y.png"><img src="https://c.example/z.png">`, true, 3,
			[]string{`data-remote`, `http://`}, []string{`src="https://a.example/x.png"`, `src="https://b.example/y.png"`, `src="https://c.example/z.png"`}},
		{"links are not images", `<a href="https://suivi.example/123" rel="nofollow">suivi</a> texte &amp; suite`, false, 0,
			nil, []string{`<a href="https://suivi.example/123" rel="nofollow">suivi</a> texte &amp; suite`}},
		{"text only", `Bonjour`, false, 0, nil, []string{`Bonjour`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := Images(tt.in, ImageOptions{ShowRemote: tt.show, CID: cid})
			if n != tt.remote {
				t.Errorf("remote images = %d; want %d (%s)", n, tt.remote, got)
			}
			for _, f := range tt.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("%s\nstill holds %q", got, f)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%s\nlost %q", got, k)
				}
			}
		})
	}
}

// What Sanitize keeps, Images then blocks: the demo's suspicious mail.
func TestSanitizeThenImagesLeavesNoRemoteSource(t *testing.T) {
	in := `<p>Devis</p><img src="https://pixel.example.net/open.gif" width="1" height="1" onerror="alert(1)"><img src="HTTPS://UP.example/x">`
	got, n := Images(Sanitize(in), ImageOptions{})
	if n != 2 || strings.Contains(got, " src=") || strings.Contains(got, "onerror") {
		t.Errorf("Images(Sanitize(…)) = %q, %d", got, n)
	}
}
