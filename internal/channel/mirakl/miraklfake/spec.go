package miraklfake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// SpecEnv names the environment variable that points at the spec file.
const SpecEnv = "MIRAKL_SPEC"

const specName = "mirakl-mmp-seller-openapi.json"

// SpecPath finds mirakl-mmp-seller-openapi.json: $MIRAKL_SPEC, else
// specs/ or shared/specs/ in the working directory or one of its parents.
func SpecPath() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		for _, p := range []string{filepath.Join(dir, "specs", specName), filepath.Join(dir, "shared", "specs", specName)} {
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s introuvable (réglez %s)", specName, SpecEnv)
		}
		dir = parent
	}
}

// loadSpec parses the spec (OpenAPI 3.1, which kin-openapi loads; it
// decodes a multipart body's JSON part as JSON and checks it against its
// schema, so nothing needs relaxing as Prism does) and routes requests on
// its paths, without its servers (https://your-instance.mirakl.net). The
// published file's examples and defaults are not what the fake checks.
func loadSpec(data []byte) (*openapi3.T, routers.Router, error) {
	if len(data) == 0 {
		return nil, nil, errors.New("miraklfake: spec vide")
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("miraklfake: spec illisible : %w", err)
	}
	doc.Servers = nil
	if doc.Info != nil && doc.Info.Version == "" {
		doc.Info.Version = "unversioned" // the published file leaves it empty
	}
	kept := openapi3.NewPaths()
	if doc.Paths == nil {
		return nil, nil, errors.New("miraklfake: spec sans chemins")
	}
	for _, p := range servedPaths {
		item := doc.Paths.Value(p)
		if item == nil {
			return nil, nil, fmt.Errorf("miraklfake: la spec n'a pas %s", p)
		}
		kept.Set(p, item)
	}
	doc.Paths = kept // the rest (one operation is malformed in the file) is not the fake's
	nullableAsDescribed(doc)
	r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
	if err != nil {
		return nil, nil, fmt.Errorf("miraklfake: spec invalide : %w", err)
	}
	return doc, r, nil
}

// servedPaths are the spec's operations the fake answers.
var servedPaths = []string{
	"/api/account",
	"/api/inbox/threads",
	"/api/inbox/threads/{thread_id}",
	"/api/inbox/threads/{thread_id}/message",
	"/api/inbox/threads/{attachment_id}/download",
	"/api/orders",
	"/api/orders/refund",
	"/api/orders/cancel",
	"/api/orders/{order_id}/cancel",
	"/api/orders/{order_id}/threads",
	"/api/reasons",
}

// nullableAsDescribed lets null through where a field's description says
// Mirakl sends null (metadata.shop_reply_needed_since: « Null when the shop
// has replied ») though its schema says string only: the fake answers as
// the real instance does, and the file contradicts itself there.
func nullableAsDescribed(doc *openapi3.T) {
	for _, ref := range doc.Components.Schemas {
		if ref.Value == nil {
			continue
		}
		for _, p := range ref.Value.Properties {
			if p.Value != nil && strings.Contains(p.Value.Description, "Null when") {
				p.Value.Nullable = true
				if p.Value.Type != nil && !p.Value.Type.Includes("null") {
					t := append(openapi3.Types{}, *p.Value.Type...)
					t = append(t, "null") // OpenAPI 3.1 spells nullable so
					p.Value.Type = &t
				}
			}
		}
	}
}
