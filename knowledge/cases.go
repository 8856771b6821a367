package knowledge

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Case is a golden question: what a citizen typed and the FAQ id that answers it
// ("none" when nothing in the knowledge base does).
type Case struct {
	Q      string `yaml:"q"`
	Expect string `yaml:"expect"`
}

// ParseCases reads golden questions in the cases.yaml format.
func ParseCases(data []byte) ([]Case, error) {
	var doc struct {
		Cases []Case `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("knowledge: cases: %w", err)
	}
	for i, c := range doc.Cases {
		if c.Q == "" || c.Expect == "" {
			return nil, fmt.Errorf("knowledge: cases: case %d needs q and expect", i+1)
		}
	}
	return doc.Cases, nil
}
