package htmlsafe

import (
	"strings"
	"testing"
)

func TestSanitizeRemovesActiveContent(t *testing.T) {
	tests := []struct {
		in        string
		forbidden []string
		kept      []string
	}{
		{`<p>Bonjour <script>alert(1)</script>madame</p>`, []string{"<script", "alert(1)"}, []string{"<p>", "Bonjour", "madame"}},
		{`<img src="x" onerror="alert(1)">`, []string{"onerror", "alert"}, nil},
		{`<a href="javascript:alert(1)">clic</a>`, []string{"javascript:"}, []string{"clic"}},
		{`<a href="https://suivi.example/123">suivi</a>`, nil, []string{`href="https://suivi.example/123"`, `rel="nofollow`}},
		{`<img src="cid:part1@x">`, nil, []string{`src="cid:part1@x"`}},
		{`<iframe src="https://evil"></iframe><b>ok</b>`, []string{"iframe"}, []string{"<b>ok</b>"}},
		{`<div style="color:red;background:url(javascript:alert(1))">x</div>`, []string{"javascript"}, []string{"x"}},
		{`<svg><script>alert(1)</script></svg>`, []string{"script", "svg"}, nil},
	}
	for _, tt := range tests {
		got := Sanitize(tt.in)
		for _, f := range tt.forbidden {
			if strings.Contains(strings.ToLower(got), strings.ToLower(f)) {
				t.Errorf("Sanitize(%q) = %q; still contains %q", tt.in, got, f)
			}
		}
		for _, k := range tt.kept {
			if !strings.Contains(got, k) {
				t.Errorf("Sanitize(%q) = %q; lost %q", tt.in, got, k)
			}
		}
	}
}

func TestText(t *testing.T) {
	in := "<html><head><title>x</title></head><body><p>Bonjour&nbsp;Jos&eacute;,</p><p>Le colis<br>est parti.</p><script>var a</script></body></html>"
	want := "Bonjour\u00a0José,\nLe colis\nest parti."
	if got := Text(in); got != want {
		t.Errorf("Text = %q; want %q", got, want)
	}
}
