// Package sample holds the bundled sample knowledge base of the fictional Kota
// Sukamaju: a template an office adapts, loaded into an empty database by the run
// command, and golden questions about it.
package sample

import _ "embed"

// KB is the sample knowledge base in the kb.yaml format.
//
//go:embed kb.yaml
var KB []byte

// Cases are golden questions about KB in the cases.yaml format.
//
//go:embed cases.yaml
var Cases []byte
