package kauflandfake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// SpecEnv names the environment variable that points at the spec file,
// for a checkout where shared/ is not a sibling of the repository.
const SpecEnv = "KAUFLAND_SPEC"

const specName = "kaufland-seller-api-v2.json"

// SpecPath finds kaufland-seller-api-v2.json: $KAUFLAND_SPEC, else
// shared/specs/ in the working directory or one of its parents (the
// repository's sibling folder shared/ holds the specs).
func SpecPath() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		for _, p := range []string{filepath.Join(dir, "shared", "specs", specName), filepath.Join(dir, "specs", specName)} {
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

// loadRouter parses the spec and routes requests on its paths, without
// its servers: the fake strips its own /v2 prefix. The published spec has
// examples and defaults of the wrong type ("1" for an integer): they are
// not what the fake checks.
func loadRouter(data []byte) (routers.Router, error) {
	if len(data) == 0 {
		return nil, errors.New("kauflandfake: spec vide")
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("kauflandfake: spec illisible : %w", err)
	}
	doc.Servers = nil
	r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
	if err != nil {
		return nil, fmt.Errorf("kauflandfake: spec invalide : %w", err)
	}
	return r, nil
}
