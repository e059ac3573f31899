package convert

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // x5t is a SHA-1 digest by definition (RFC 7517 §4.8)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v3/cert"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// certificateItems groups certificates pasted in a row into chains (a
// certificate followed by the one that issued it) and makes one key per
// chain: the leaf's public key with x5c (the chain in pasted order), x5t and
// x5t#S256.
func certificateItems(certs []*x509.Certificate) ([]Item, []string, error) {
	var items []Item
	var warns []string
	for start := 0; start < len(certs); {
		end := start + 1
		for end < len(certs) && bytes.Equal(certs[end-1].RawIssuer, certs[end].RawSubject) {
			if err := certs[end-1].CheckSignatureFrom(certs[end]); err != nil {
				warns = append(warns, fmt.Sprintf("certificate %d names certificate %d as its issuer, but its signature does not verify with it: %v", end, end+1, err))
			}
			end++
		}
		item, err := chainItem(certs[start:end])
		if err != nil {
			return nil, nil, err
		}
		items = append(items, item)
		start = end
	}
	return items, warns, nil
}

func chainItem(chain []*x509.Certificate) (Item, error) {
	leaf := chain[0]
	label := "X.509 certificate, " + subjectName(leaf) + ", valid until " + leaf.NotAfter.UTC().Format("2006-01-02")
	if len(chain) > 1 {
		label += fmt.Sprintf(" (chain of %d)", len(chain))
	}
	item, err := keyItem(leaf.PublicKey, label)
	if err != nil {
		return Item{}, err
	}
	item.Kind = ItemCertificate
	var x5c cert.Chain
	for i, c := range chain {
		if err := x5c.Add([]byte(base64.StdEncoding.EncodeToString(c.Raw))); err != nil {
			return Item{}, fmt.Errorf("certificate %d cannot go into x5c: %w", i+1, err)
		}
	}
	s1 := sha1.Sum(leaf.Raw) //nolint:gosec // see import
	s256 := sha256.Sum256(leaf.Raw)
	for name, v := range map[string]any{
		jwk.X509CertChainKey:          &x5c,
		jwk.X509CertThumbprintKey:     base64.RawURLEncoding.EncodeToString(s1[:]),
		jwk.X509CertThumbprintS256Key: base64.RawURLEncoding.EncodeToString(s256[:]),
	} {
		if err := item.Key.Set(name, v); err != nil {
			return Item{}, fmt.Errorf("failed to set %s: %w", name, err)
		}
	}
	if now := time.Now(); now.After(leaf.NotAfter) {
		item.Warnings = append(item.Warnings, "the certificate expired on "+leaf.NotAfter.UTC().Format("2006-01-02"))
	} else if now.Before(leaf.NotBefore) {
		item.Warnings = append(item.Warnings, "the certificate is not valid before "+leaf.NotBefore.UTC().Format("2006-01-02"))
	}
	return item, nil
}

func subjectName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	if s := c.Subject.String(); s != "" {
		return s
	}
	return "no subject"
}
