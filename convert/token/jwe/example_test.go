package jwe_test

import (
	"fmt"

	"github.com/jwkdesk/jwkdesk/convert/token/jwe"
)

// A test token encrypted to a shared secret with dir, then inspected with
// the same secret: the verdict, the plaintext rendered, and the candidate.
func ExampleInspect() {
	secret := []byte("0123456789abcdef0123456789abcdef") // 32 bytes: dir with A256GCM
	tok, err := jwe.Encrypt([]byte(`{"sub":"alice"}`), jwe.SharedSecret(secret), "dir", "A256GCM", jwe.EncryptOptions{Kid: "k1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := jwe.Inspect(tok, jwe.SharedSecret(secret), jwe.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Verdict)
	fmt.Println(r.Kid, r.Alg, r.Enc)
	fmt.Println(r.Render().Text)
	fmt.Println(r.Candidates[0].Code, "-", r.Candidates[0].Outcome)
	// Output:
	// Decrypted with the shared secret (dir, A256GCM)
	// k1 dir A256GCM
	// {
	//   "sub": "alice"
	// }
	// opened - the key opened the token
}

// What fits a passphrase, the default first.
func ExampleAlgs() {
	to := jwe.Passphrase([]byte("correct horse battery staple"))
	fmt.Println(jwe.Algs(to, false))
	fmt.Println(jwe.Encs(to, "PBES2-HS256+A128KW")[0])
	// Output:
	// [PBES2-HS256+A128KW PBES2-HS384+A192KW PBES2-HS512+A256KW]
	// A256GCM
}
