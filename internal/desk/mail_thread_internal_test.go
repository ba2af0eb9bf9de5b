package desk

import "testing"

func TestThreadTokens(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := tokenFor(key, 42)
	if id, ok := ticketOfToken(key, tok); !ok || id != 42 {
		t.Fatalf("own token %q: %d %v", tok, id, ok)
	}
	if _, ok := ticketOfToken([]byte("another key, another desk........"), tok); ok {
		t.Error("a token of another key is believed")
	}
	forged := "t43" + tok[3:]
	if _, ok := ticketOfToken(key, forged); ok {
		t.Errorf("the mac of ticket 42 opens ticket 43: %q", forged)
	}
	for _, bad := range []string{"", "t42", "t42.", "t42.zz", "x42." + tok[4:], "t0." + tok[4:]} {
		if _, ok := ticketOfToken(key, bad); ok {
			t.Errorf("%q is believed", bad)
		}
	}
}
