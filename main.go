// Command jwkdesk is JWK Desk: with no arguments the desktop app, with a
// subcommand its headless twin.

// Real Entra ID keys of 2015 carry certificates with negative serials, which
// Go refuses by default; JWK Desk must still show them.
//
//go:debug x509negativeserial=1
package main

import (
	"os"

	"github.com/jwkdesk/jwkdesk/cli"
	"github.com/jwkdesk/jwkdesk/convert/keys"
	"github.com/jwkdesk/jwkdesk/ui"
)

func main() {
	keys.ConfigureJWX()
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	ui.Run()
}
