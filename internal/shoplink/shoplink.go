// Package shoplink signs and checks the links of the shop's order-page
// button (the guichet PrestaShop module): HMAC-SHA256 over the shop (the
// guichet channel), the order reference and a Unix time, with a secret
// shared by the module and guichet. The module's PHP computes the same
// signature (prestashop-module/guichet/classes/GuichetLink.php).
package shoplink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// MaxAge is how long a link stays valid after the module made it; Skew is
// how far ahead of ours the shop's clock may be.
const (
	MaxAge = 10 * time.Minute
	Skew   = 2 * time.Minute
)

var (
	ErrForged  = errors.New("lien falsifié : sa signature ne correspond pas à cette commande")
	ErrExpired = errors.New("lien expiré")
	ErrFuture  = errors.New("lien daté dans le futur : l'horloge de la boutique avance")
	ErrMissing = errors.New("lien incomplet")
)

// Payload is what is signed: "guichet-order-v1", the shop, the order and
// the time, one per line.
func Payload(shop, order string, ts int64) string {
	return "guichet-order-v1\n" + shop + "\n" + order + "\n" + strconv.FormatInt(ts, 10)
}

// Sign returns the link's signature, lowercase hexadecimal.
func Sign(secret, shop, order string, ts int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(Payload(shop, order, ts)))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a link's signature, then its age at now.
func Verify(secret, shop, order, ts, sig string, now time.Time) error {
	if shop == "" || order == "" || ts == "" || sig == "" || secret == "" {
		return ErrMissing
	}
	if strings.ContainsAny(shop+order, "\n\r") {
		return ErrForged
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrForged
	}
	got, err := hex.DecodeString(strings.ToLower(sig))
	want, _ := hex.DecodeString(Sign(secret, shop, order, n))
	if err != nil || !hmac.Equal(got, want) {
		return ErrForged
	}
	at := time.Unix(n, 0)
	switch {
	case now.Sub(at) > MaxAge:
		return ErrExpired
	case at.Sub(now) > Skew:
		return ErrFuture
	}
	return nil
}
