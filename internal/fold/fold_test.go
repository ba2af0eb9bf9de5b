package fold

import (
	"reflect"
	"testing"
)

func TestString(t *testing.T) {
	tests := map[string]string{
		"Éléonore":      "eleonore",
		"ÇA VA, Noël ?": "ca va, noel ?",
		"Straße":        "strasse",
		"Cœur":          "coeur",
		"plain ASCII":   "plain ascii",
		"":              "",
	}
	for in, want := range tests {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("Commandé sur real.de, n°12-34 !")
	want := []string{"commande", "sur", "real", "de", "n", "12", "34"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Words = %q; want %q", got, want)
	}
}
