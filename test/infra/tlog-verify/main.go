// tlog-verify checks the exemption ledger's output with independent, widely used
// transparency-log libraries: the signed checkpoint with transparency-dev/formats (C2SP
// tlog-checkpoint in a golang.org/x/mod/sumdb/note signed note), inclusion and consistency
// proofs with transparency-dev/merkle (RFC 6962 / RFC 9162). It reads one JSON request on
// stdin and exits 0 when everything verifies, 1 (with the reason on stderr) otherwise.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

type request struct {
	Origin      string `json:"origin"`
	VerifierKey string `json:"verifierKey"`
	Checkpoint  string `json:"checkpoint"`
	Inclusion   []struct {
		Index uint64   `json:"index"`
		Entry string   `json:"entry"`
		Proof []string `json:"proof"`
	} `json:"inclusion"`
	Consistency []struct {
		Size1 uint64   `json:"size1"`
		Root1 string   `json:"root1"`
		Proof []string `json:"proof"`
	} `json:"consistency"`
}

func decode(items []string) ([][]byte, error) {
	out := make([][]byte, len(items))
	for i, s := range items {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	verifier, err := note.NewVerifier(req.VerifierKey)
	if err != nil {
		return fmt.Errorf("verifier key: %w", err)
	}
	cp, _, _, err := log.ParseCheckpoint([]byte(req.Checkpoint), req.Origin, verifier)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	for _, inc := range req.Inclusion {
		p, err := decode(inc.Proof)
		if err != nil {
			return err
		}
		leaf := rfc6962.DefaultHasher.HashLeaf([]byte(inc.Entry))
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, inc.Index, cp.Size, leaf, p, cp.Hash); err != nil {
			return fmt.Errorf("inclusion of %d in %d: %w", inc.Index, cp.Size, err)
		}
	}
	for _, c := range req.Consistency {
		p, err := decode(c.Proof)
		if err != nil {
			return err
		}
		root1, err := base64.StdEncoding.DecodeString(c.Root1)
		if err != nil {
			return err
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, c.Size1, cp.Size, p, root1, cp.Hash); err != nil {
			return fmt.Errorf("consistency %d -> %d: %w", c.Size1, cp.Size, err)
		}
	}
	fmt.Printf("{\"ok\":true,\"size\":%d,\"inclusion\":%d,\"consistency\":%d}\n", cp.Size, len(req.Inclusion), len(req.Consistency))
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tlog-verify:", err)
		os.Exit(1)
	}
}
