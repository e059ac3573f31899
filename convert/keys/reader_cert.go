package keys

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// readCertificateDER parses a certificate; openssl's TRUSTED CERTIFICATE
// (a certificate followed by its trust settings, trusted true) gives the
// certificate and a note.
func readCertificateDER(der []byte, trusted bool) (*x509.Certificate, []string, error) {
	var notes []string
	var rv asn1.RawValue
	if !trusted {
		// a plain certificate: crypto/x509 refuses trailing bytes itself
	} else if rest, err := asn1.Unmarshal(der, &rv); err == nil && len(rest) > 0 {
		var aux asn1.RawValue
		if r2, err := asn1.Unmarshal(rest, &aux); err == nil && len(r2) == 0 && aux.Tag == asn1.TagSequence {
			der = rv.FullBytes
			notes = append(notes, "the trust settings after the certificate (openssl TRUSTED CERTIFICATE) were ignored")
		}
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, certificateError(der, err)
	}
	return c, notes, nil
}

// certificateError says why a certificate does not parse: a key x509 does
// not read inside an otherwise sound certificate is named; a sound
// certificate crypto/x509 refuses for its own rules (xerr) is not called
// damaged; what does not parse as a certificate is.
func certificateError(der []byte, xerr error) error {
	var cert struct {
		TBS struct {
			Raw          asn1.RawContent
			Version      int `asn1:"optional,explicit,default:0,tag:0"`
			Serial       *big.Int
			SigAlg       pkix.AlgorithmIdentifier
			Issuer       asn1.RawValue
			Validity     asn1.RawValue
			Subject      asn1.RawValue
			PublicKey    asn1.RawValue
			OtherFields  asn1.RawValue `asn1:"optional"`
			OtherFields2 asn1.RawValue `asn1:"optional"`
		}
		SigAlg    pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &cert); err != nil {
		return damagedDER(der, "an X.509 certificate")
	}
	dk, err := readSPKI(cert.TBS.PublicKey.FullBytes)
	switch {
	case err != nil:
		return fmt.Errorf("its public key: %w", err)
	case curveOfRaw(dk.raw) != "" && len(dk.notes) > 0:
		return errors.New("its EC key has explicit curve parameters, which RFC 5480 §2.1.1 forbids in certificates, and Go cannot read such a certificate: take its key out with `openssl x509 -pubkey -noout` and paste that")
	}
	if dmg := damagedDER(der, "an X.509 certificate"); dmg.(*damagedError).extra > 0 {
		return dmg
	}
	return fmt.Errorf("it is well-formed, but Go's X.509 parser refuses it (%s): take its key out with `openssl x509 -pubkey -noout` and paste that", strings.TrimPrefix(xerr.Error(), "x509: "))
}

// certificateKey reads a certificate's public key: crypto/x509 leaves
// PublicKey nil for keys it does not know (RSASSA-PSS, Ed448…), which the
// SPKI reader takes.
func certificateKey(c *x509.Certificate) (*derKey, error) {
	if c.PublicKey != nil {
		return &derKey{raw: c.PublicKey}, nil
	}
	return readSPKI(c.RawSubjectPublicKeyInfo)
}

// parseDERForm reads DER input (a file, or base64 text) of a known form.
func parseDERForm(der []byte, form derForm, origin string) (*ParseResult, error) {
	if form == formCertificate {
		c, notes, err := readCertificateDER(der, false)
		if err != nil {
			if _, cerr := x509.ParseCertificateRequest(der); cerr == nil {
				return nil, errors.New("this is a certificate signing request (CSR), not a key: paste the key it was made from, or the certificate issued for it")
			}
			if _, cerr := x509.ParseRevocationList(der); cerr == nil {
				return nil, errors.New("this is a certificate revocation list, not a key")
			}
			return nil, fmt.Errorf("%s is a certificate that cannot be read: %w", origin, err)
		}
		items, warns, err := certificateItems([]*x509.Certificate{c})
		if err != nil {
			return nil, err
		}
		return &ParseResult{Summary: origin, Items: items, Warnings: append(notes, warns...)}, nil
	}
	dk, err := readDERKey(der, form)
	var dmg *damagedError
	switch {
	case errors.As(err, &dmg):
		return nil, fmt.Errorf("%s holds what looks like %s, but it %s: copy the whole key again", origin, form.what(), dmg)
	case err != nil:
		return nil, fmt.Errorf("%s (%s): %w", form.label(), origin, err)
	}
	item, err := keyItemFrom(dk, form.label()+" ("+origin+")")
	if err != nil {
		return nil, err
	}
	return &ParseResult{Summary: origin, Items: []Item{item}}, nil
}
