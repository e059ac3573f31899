package jwe

import (
	"os"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// TestMain configures jwx as the app does (convert's init): keys of 1024 to
// 2047 bits are read, so that this package can refuse them itself.
func TestMain(m *testing.M) {
	jwk.Configure(jwk.WithMinRSAModulusBits(1024))
	os.Exit(m.Run())
}
