// Package assets holds what both faces of JWK Desk show about themselves:
// the version and the application icon (drawn in icon.svg, rendered to
// icon.png, embedded), with the desktop files beside them. It imports no
// GUI toolkit, so the command line reads it as the window does.
package assets

import _ "embed"

// Version is the application version, kept equal to FyneApp.toml's (a test
// checks).
const Version = "0.1.0"

// IconPNG is the application icon.
//
//go:embed icon.png
var IconPNG []byte
