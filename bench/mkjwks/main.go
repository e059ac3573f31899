// Command mkjwks writes a public JWKS of N Ed25519 keys with short kids to
// stdout: the 10,000-key set of the UI stall benchmark, kept under the 1 MiB
// paste limit (about 77 bytes a key).
package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 10000
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "usage: mkjwks [number of keys]")
			os.Exit(2)
		}
	}
	fmt.Print(`{"keys":[`)
	for i := range n {
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i > 0 {
			fmt.Print(",")
		}
		fmt.Printf(`{"kty":"OKP","crv":"Ed25519","kid":"k%d","x":"%s"}`, i, base64.RawURLEncoding.EncodeToString(pub))
	}
	fmt.Println("]}")
}
