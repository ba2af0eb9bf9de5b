package desk

import (
	"reflect"
	"testing"
)

func TestCheckReply(t *testing.T) {
	kaufland := Channel{ID: 1, Name: "Kaufland", GuardNames: []string{"Kaufland", "real.de"}}
	fnac := Channel{ID: 2, Name: "Fnac", GuardNames: []string{"Fnac", "Fnac Darty"}}
	leroy := Channel{ID: 3, Name: "Leroy Merlin", GuardNames: []string{"Leroy Merlin"}}
	amazon := Channel{ID: 4, Name: "Amazon", GuardNames: []string{"Amazon"}, ForbidContact: true}
	all := []Channel{kaufland, fnac, leroy, amazon}
	tests := []struct {
		name string
		text string
		own  Channel
		want []GuardHit
	}{
		{"own name is fine", "Merci pour votre commande Kaufland", kaufland, nil},
		{"other name, any case and accents", "Commande passée sur FNÂC hier", kaufland, []GuardHit{{Kind: "marketplace", Text: "fnac", Channel: "Fnac"}}},
		{"whole words only", "Le fnacien et Amazonie ne comptent pas", kaufland, nil},
		{"alias with punctuation", "vu sur real.de", fnac, []GuardHit{{Kind: "marketplace", Text: "real de", Channel: "Kaufland"}}},
		{"two-word name", "chez leroy-merlin.", kaufland, []GuardHit{{Kind: "marketplace", Text: "leroy merlin", Channel: "Leroy Merlin"}}},
		{"contact allowed on channel", "écrivez à sav@shop.fr ou au 06 12 34 56 78", kaufland, nil},
		{"contact forbidden", "Voir https://shop.fr/suivi, écrire à sav@shop.fr ou appeler le 06.12.34.56.78", amazon, []GuardHit{
			{Kind: "link", Text: "https://shop.fr/suivi,"},
			{Kind: "email", Text: "sav@shop.fr"},
			{Kind: "phone", Text: "06.12.34.56.78"},
		}},
		{"order numbers are not phones", "Votre commande 123456789012 est partie", amazon, nil},
		{"international phone", "appelez +49 30 1234567", amazon, []GuardHit{{Kind: "phone", Text: "+49 30 1234567"}}},
	}
	for _, tt := range tests {
		got := CheckReply(tt.text, tt.own, all)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: CheckReply(%q) = %+v; want %+v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestFillVariables(t *testing.T) {
	text := "Bonjour {nom_client}, votre commande {commande} : {lien_suivi}. {inconnue} {lien_suivi}"
	got, missing := FillVariables(text, map[string]string{"nom_client": "Léa Martin", "commande": "A-12"})
	want := "Bonjour Léa Martin, votre commande A-12 : {lien_suivi}. {inconnue} {lien_suivi}"
	if got != want || !reflect.DeepEqual(missing, []string{"lien_suivi"}) {
		t.Errorf("FillVariables = %q, %v", got, missing)
	}
	if u := UnfilledVariables("ok {adv} {x}"); !reflect.DeepEqual(u, []string{"adv"}) {
		t.Errorf("UnfilledVariables = %v", u)
	}
}
