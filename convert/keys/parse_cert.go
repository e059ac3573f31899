package keys

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // x5t is a SHA-1 digest by definition (RFC 7517 §4.8)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
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
				why := "its signature does not verify with it"
				if errors.Is(err, x509.ErrUnsupportedAlgorithm) || certs[end].PublicKey == nil {
					why = "its signature (" + certs[end-1].SignatureAlgorithm.String() + ") cannot be checked here"
				}
				warns = append(warns, fmt.Sprintf("certificate %d names certificate %d as its issuer, but %s", end, end+1, why))
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
	dk, err := certificateKey(leaf)
	if err != nil {
		return Item{}, fmt.Errorf("%s: %w", label, err)
	}
	item, err := keyItemFrom(dk, label)
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

// pairKeysWithCertificates joins a private key and the certificate issued
// for it, pasted together (key.pem and cert.pem in one file, as servers and
// haproxy keep them), into one item: the private JWK with the chain's x5c,
// x5t and x5t#S256. A key and a certificate pair when their public keys are
// the same. A lone private key beside a lone certificate is taken to be its
// pair: when they disagree, checkHalves says how and the input is refused.
// Other keys and certificates stay as they are.
func pairKeysWithCertificates(res *ParseResult) error {
	privs, certs := privateKeysAndCertificates(res.Items)
	if len(privs) == 0 || len(certs) == 0 {
		return nil
	}
	paired := map[int]bool{}
	for _, p := range privs {
		c, err := certificateOfKey(res, p, certs, paired)
		if err != nil {
			return err
		}
		if c >= 0 {
			paired[c] = true
		}
	}
	if len(paired) == 0 && len(privs) == 1 && len(certs) == 1 {
		return notAPair(res.Items[privs[0]], res.Items[certs[0]])
	}
	kept := res.Items[:0]
	for i, it := range res.Items {
		if !paired[i] {
			kept = append(kept, it)
		}
	}
	res.Items = kept
	return nil
}

// privateKeysAndCertificates are the positions of the private key items
// and of the certificate items.
func privateKeysAndCertificates(items []Item) (privs, certs []int) {
	for i, it := range items {
		switch {
		case it.Kind == ItemCertificate:
			certs = append(certs, i)
		case it.Kind == ItemKey && it.Key != nil && IsPrivate(it.Key):
			privs = append(privs, i)
		}
	}
	return privs, certs
}

// certificateOfKey gives the private key item p the first certificate not
// yet paired whose key is its own (same thumbprint), and returns that
// certificate's position; -1 when none is.
func certificateOfKey(res *ParseResult, p int, certs []int, paired map[int]bool) (int, error) {
	ptp, err := ThumbprintOf(res.Items[p].Key)
	if err != nil {
		return -1, nil // an oct key has no certificate
	}
	for _, c := range certs {
		if ctp, err := ThumbprintOf(res.Items[c].Key); err == nil && !paired[c] && ctp == ptp {
			return c, takeCertificate(&res.Items[p], res.Items[c])
		}
	}
	return -1, nil
}

// notAPair refuses a lone private key pasted with a lone certificate of
// another key, saying how the halves disagree (checkHalves).
func notAPair(priv, cert Item) error {
	err := checkKeyHalves(priv.Key, cert.Key, "the certificate pasted with it")
	if err == nil {
		err = errors.New("it does not belong to the certificate pasted with it")
	}
	return fmt.Errorf("%s: %w (the certificate: %s); paste them separately if they are not a pair", priv.Label, err, cert.Label)
}

// takeCertificate gives a private key item its certificate's x5c, x5t and
// x5t#S256, label and warnings.
func takeCertificate(priv *Item, cert Item) error {
	for _, name := range []string{jwk.X509CertChainKey, jwk.X509CertThumbprintKey, jwk.X509CertThumbprintS256Key} {
		var v any
		if err := cert.Key.Get(name, &v); err != nil {
			continue
		}
		if err := priv.Key.Set(name, v); err != nil {
			return fmt.Errorf("failed to set %s: %w", name, err)
		}
	}
	priv.Label += ", with its " + cert.Label
	priv.Warnings = append(priv.Warnings, cert.Warnings...)
	return nil
}

// checkKeyHalves runs the one halves check (checkHalves) on a private JWK
// against the public part of another.
func checkKeyHalves(priv, pub jwk.Key, whose string) error {
	var rawPriv, rawPub any
	if err := jwk.Export(priv, &rawPriv); err != nil {
		return errors.New("the private key cannot be exported")
	}
	pk, err := pub.PublicKey()
	if err != nil {
		return errors.New("the public key cannot be read")
	}
	if err := jwk.Export(pk, &rawPub); err != nil {
		return errors.New("the public key cannot be exported")
	}
	return checkHalves(rawPriv, rawPub, whose, false)
}
