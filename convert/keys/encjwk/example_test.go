package encjwk_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/jwkdesk/jwkdesk/convert/keys/encjwk"
)

// A reader's flow: recognise the file, say what it is before asking for the
// passphrase (and refuse a p2c over the cap there), then open it.
func ExampleOpen() {
	data, _ := os.ReadFile("testdata/step/ec-p256.priv.json") // written by step crypto jwk create

	form, ok := encjwk.Detect(data)
	fmt.Println(ok, form)

	info, err := encjwk.Inspect(data)
	if err != nil {
		fmt.Println(err) // e.g. "p2c is 20,000,000, over the cap of 10,000,000 for reading: …"
		return
	}
	fmt.Println(info.Describe() + ": enter its passphrase")

	_, _, err = encjwk.Open(data, []byte("not the passphrase"), encjwk.OpenOptions{})
	fmt.Println(errors.Is(err, encjwk.ErrWrongPassphrase))

	plaintext, info, err := encjwk.Open(data, []byte("jwkdesk step fixture passphrase"), encjwk.OpenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Content, len(plaintext) > 0) // the JWK's JSON, for the engine's JWK reader
	// Output:
	// true JSON serialization (flattened)
	// a PBES2-HS256+A128KW-encrypted JWK (p2c 100,000): enter its passphrase
	// true
	// JWK true
}

// A writer's flow: a strength hint while the passphrase is typed, then
// Seal (PBES2-HS512+A256KW, p2c 600,000, A256GCM, step's JSON form).
func ExampleSeal() {
	privateJWK := []byte(`{"kty":"oct","k":"c2VjcmV0IG9mIDMyIGJ5dGVzIGZvciBIUzI1NiEhISE","alg":"HS256"}`)
	passphrase := []byte("four random words here")
	fmt.Println(encjwk.PassphraseHint(passphrase).Text)
	sealed, err := encjwk.Seal(privateJWK, passphrase, encjwk.SealOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = os.WriteFile("key.jwe.json", sealed, 0o600)
}
