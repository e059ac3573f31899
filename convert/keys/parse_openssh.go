package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"

	"golang.org/x/crypto/ssh"
)

func parseOpenSSH(b []byte) (*ParseResult, error) {
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		typ, _, _ := bytes.Cut(bytes.TrimSpace(b), []byte(" "))
		return nil, fmt.Errorf("this looks like an OpenSSH public key (%s) but its key does not parse: the base64 part is cut short or damaged; copy the whole line again", typ)
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("OpenSSH key type %s has no JOSE form", pub.Type())
	}
	item, err := keyItem(cpk.CryptoPublicKey(), "OpenSSH public key, "+pub.Type())
	if err != nil {
		return nil, err
	}
	if comment != "" {
		item.Warnings = append(item.Warnings, fmt.Sprintf("the comment %q is not part of the JWK", comment))
	}
	res := &ParseResult{Summary: "OpenSSH public key", Items: []Item{item}}
	if len(bytes.TrimSpace(rest)) > 0 {
		res.Warnings = append(res.Warnings, "only the first OpenSSH key was read: give one key per input")
	}
	return res, nil
}

// parseOpenSSHPrivate reads an "openssh-key-v1" private key. An encrypted
// one is priced and charged to the input's budget before its bcrypt_pbkdf
// runs; a passphrase given for an unencrypted one is not needed, not an error.
func parseOpenSSHPrivate(block *pem.Block, opts ParseOptions) (any, error) {
	pemBytes := pem.EncodeToMemory(block)
	raw, err := ssh.ParseRawPrivateKey(pemBytes)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if len(opts.Passphrase) == 0 {
			return nil, needPassphrase("this is an OpenSSH private key protected by a passphrase")
		}
		rounds, ok := opensshKDFRounds(block.Bytes)
		if !ok {
			return nil, errors.New("this OpenSSH private key is damaged, or protected by a key derivation other than bcrypt_pbkdf (the one ssh-keygen uses)")
		}
		d, derr := bcryptDerivation(int64(rounds))
		if derr != nil {
			return nil, derr
		}
		if derr := opts.work.charge(opts.Passphrase, d); derr != nil {
			return nil, derr
		}
		raw, err = ssh.ParseRawPrivateKeyWithPassphrase(pemBytes, opts.Passphrase)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, wrongPassphrase("the passphrase does not decrypt this OpenSSH private key: check it and try again")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("OpenSSH private key does not parse: %w", err)
	}
	if p, ok := raw.(*ed25519.PrivateKey); ok {
		raw = *p
	}
	return raw, nil
}

// opensshKDFRounds reads the bcrypt rounds of an "openssh-key-v1" private
// key before any decryption, so a hostile file cannot hang the app.
func opensshKDFRounds(b []byte) (uint32, bool) {
	const magic = "openssh-key-v1\x00"
	if !bytes.HasPrefix(b, []byte(magic)) {
		return 0, false
	}
	b = b[len(magic):]
	next := func() ([]byte, bool) {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, false
		}
		v := b[4 : 4+n]
		b = b[4+n:]
		return v, true
	}
	if _, ok := next(); !ok { // cipher name
		return 0, false
	}
	kdf, ok := next()
	if !ok || string(kdf) != "bcrypt" {
		return 0, false
	}
	opts, ok := next()
	if !ok || len(opts) < 4 {
		return 0, false
	}
	b = opts
	if _, ok := next(); !ok || len(b) < 4 { // salt
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}
