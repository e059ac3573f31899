package keys

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/jwkdesk/jwkdesk/convert/words"
)

// parsePEMText reads every PEM block; certificates that chain are grouped.
func parsePEMText(b []byte, opts ParseOptions) (*ParseResult, error) {
	r := &pemReader{res: &ParseResult{}, opts: opts}
	if i := bytes.Index(b, []byte("-----BEGIN ")); i > 0 && len(bytes.TrimSpace(b[:i])) > 0 {
		r.res.Warnings = append(r.res.Warnings, "Text before the first BEGIN line was ignored")
	}
	rest := b
	for {
		block, next := pem.Decode(rest)
		// encoding/pem skips a block it cannot read and returns the next:
		// a damaged block must not vanish silently.
		if block == nil && bytes.Contains(rest, []byte("-----BEGIN ")) || block != nil && bytes.Count(rest[:len(rest)-len(next)], []byte("-----BEGIN ")) > 1 {
			return nil, pemBlockProblem(rest, r.blocks+1)
		}
		if block == nil {
			break
		}
		r.blocks++
		rest = next
		if err := r.read(block); err != nil {
			return nil, err
		}
	}
	if err := r.flushCertificates(); err != nil {
		return nil, err
	}
	return r.finish(b, rest)
}

// pemReader is one PEM text being read: the items so far and the
// certificates in a row not yet grouped into chains.
type pemReader struct {
	res    *ParseResult
	opts   ParseOptions
	certs  []*x509.Certificate
	blocks int
}

// read reads one block: a certificate joins the row, anything else ends it.
func (r *pemReader) read(block *pem.Block) error {
	switch block.Type {
	case "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE":
		c, notes, err := readCertificateDER(block.Bytes, block.Type == "TRUSTED CERTIFICATE")
		var dmg *damagedError
		switch {
		case errors.As(err, &dmg):
			return fmt.Errorf("PEM block %d (%s) %s: copy the whole block again, from -----BEGIN to -----END", r.blocks, block.Type, dmg)
		case err != nil:
			return fmt.Errorf("PEM block %d (%s) cannot be read: %w", r.blocks, block.Type, err)
		}
		r.certs = append(r.certs, c)
		r.res.Warnings = append(r.res.Warnings, notes...)
		return nil
	}
	if err := r.flushCertificates(); err != nil {
		return err
	}
	item, skip, err := pemBlockItem(block, r.blocks, r.opts)
	if err != nil {
		return err
	}
	if !skip {
		r.res.Items = append(r.res.Items, item)
	}
	return nil
}

// flushCertificates turns the certificates in a row into items, one per
// chain.
func (r *pemReader) flushCertificates() error {
	if len(r.certs) == 0 {
		return nil
	}
	items, warns, err := certificateItems(r.certs)
	if err != nil {
		return err
	}
	r.res.Items, r.res.Warnings = append(r.res.Items, items...), append(r.res.Warnings, warns...)
	r.certs = nil
	return nil
}

// finish pairs keys with their certificates and says what was read of b;
// rest is what followed the last block.
func (r *pemReader) finish(b, rest []byte) (*ParseResult, error) {
	if r.blocks == 0 {
		return nil, pemBlockProblem(b, 1)
	}
	if err := pairKeysWithCertificates(r.res); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		r.res.Warnings = append(r.res.Warnings, "Text after the END line was ignored")
	}
	if len(r.res.Items) == 0 {
		return nil, errors.New("no key in these PEM blocks")
	}
	r.res.Summary = "PEM, " + words.Plural(r.blocks, "block", "blocks")
	return r.res, nil
}

// pemBlockItem reads one non-certificate PEM block. skip is true for blocks
// that carry no key of their own (EC PARAMETERS).
func pemBlockItem(block *pem.Block, n int, opts ParseOptions) (Item, bool, error) {
	der, encrypted, err := decryptLegacyPEM(block, opts)
	if err != nil {
		return Item{}, false, err
	}
	label := pemTypeName(block.Type)
	if encrypted {
		label += " (decrypted)"
	}
	if form, ok := pemLabelForm[block.Type]; ok {
		item, err := derBlockItem(block.Type, der, form, n, label)
		return item, false, err
	}
	var raw any
	switch block.Type {
	case "EC PARAMETERS":
		return Item{}, true, nil
	case "ENCRYPTED PRIVATE KEY":
		raw, err = decryptPKCS8(der, opts)
		label = pemTypeName(block.Type) + " (decrypted)"
	case "OPENSSH PRIVATE KEY":
		raw, err = parseOpenSSHPrivate(block, opts)
	default:
		return Item{}, false, pemTypeRefusal(block.Type, n)
	}
	if err != nil {
		return Item{}, false, err
	}
	item, err := keyItem(raw, label)
	return item, false, err
}

// decryptLegacyPEM decrypts a legacy "Proc-Type: 4,ENCRYPTED" block (priced
// and charged to the input's budget first); other blocks are returned as
// they are.
func decryptLegacyPEM(block *pem.Block, opts ParseOptions) (der []byte, encrypted bool, err error) {
	//lint:ignore SA1019 legacy "Proc-Type: 4,ENCRYPTED" PEM is still what openssl's -traditional writes; users paste it
	if !x509.IsEncryptedPEMBlock(block) {
		return block.Bytes, false, nil
	}
	if len(opts.Passphrase) == 0 {
		return nil, false, needPassphrase("this is a %s protected by a passphrase (legacy PEM encryption)", pemTypeName(block.Type))
	}
	if err := opts.work.charge(opts.Passphrase, legacyPEMDerivation); err != nil {
		return nil, false, err
	}
	//lint:ignore SA1019 see above: decrypting legacy PEM is the only way to read these files
	plain, err := x509.DecryptPEMBlock(block, opts.Passphrase)
	if err != nil {
		return nil, false, wrongPassphrase("the passphrase does not decrypt this %s: check it and try again", pemTypeName(block.Type))
	}
	return plain, true, nil
}

// derBlockItem reads the DER of a block whose label names its form.
func derBlockItem(typ string, der []byte, form derForm, n int, label string) (Item, error) {
	dk, err := readDERKey(der, form)
	if err == nil && strings.HasPrefix(typ, "RSA-PSS") {
		dk.pss = true // openssl rsa -traditional writes a PSS key as PKCS#1 under this label, without its parameters
		dk.notes = append(dk.notes, "an RSASSA-PSS key in openssl's traditional form, which keeps no parameters: its owner meant it for PSS signatures only, so use it with PS256, PS384 or PS512, never RS* or RSA-OAEP")
	}
	var dmg *damagedError
	switch {
	case errors.As(err, &dmg):
		if actual := sniffDER(der); actual != formUnknown && actual != form {
			return Item{}, fmt.Errorf("PEM block %d is labelled %s but holds a %s: fix its BEGIN and END lines", n, typ, actual)
		}
		return Item{}, fmt.Errorf("PEM block %d (%s) %s: copy the whole block again, from -----BEGIN to -----END", n, typ, dmg)
	case err != nil:
		return Item{}, fmt.Errorf("PEM block %d (%s): %w", n, typ, err)
	}
	return keyItemFrom(dk, label)
}

// pemTypeRefusal says why a block of this label is not read.
func pemTypeRefusal(typ string, n int) error {
	switch typ {
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		return errors.New("this is a certificate signing request (CSR), not a key: paste the key it was made from, or the certificate issued for it")
	case "DSA PRIVATE KEY", "DSA PUBLIC KEY":
		return fmt.Errorf("unknown PEM type `%s`: DSA keys cannot be used with JOSE", typ)
	case "X509 CRL":
		return errors.New("this is a certificate revocation list, not a key")
	}
	return fmt.Errorf("unknown PEM type `%s` (block %d): JWK Desk reads PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY and CERTIFICATE", typ, n)
}
