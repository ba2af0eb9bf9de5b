package miraklfake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

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

// loadSpec parses the spec (OpenAPI 3.1: kin-openapi validates it with
// its JSON Schema 2020-12 validator) and routes requests on its paths,
// without its servers (https://your-instance.mirakl.net). The published
// file's examples and defaults are not what the fake checks.
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
	doc.Paths = kept // other operations (one of them malformed in the file) are not the fake's
	relaxMultipart(doc)
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

// relaxMultipart makes the JSON parts of multipart bodies (message_input,
// thread_input) and the files plain strings for the generic validator, as
// the specs README says for Prism: a multipart part arrives as a string.
// The fake decodes those parts itself and checks them against their
// schemas (see checkPart).
func relaxMultipart(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("multipart/form-data")
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				continue
			}
			relaxed := openapi3.NewObjectSchema()
			relaxed.Required = mt.Schema.Value.Required
			for name, prop := range mt.Schema.Value.Properties {
				str := openapi3.NewSchemaRef("", openapi3.NewStringSchema())
				if prop.Value != nil && prop.Value.Type.Is("array") {
					str = openapi3.NewSchemaRef("", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()))
				}
				relaxed.Properties[name] = str
			}
			mt.Schema = openapi3.NewSchemaRef("", relaxed)
		}
	}
}
