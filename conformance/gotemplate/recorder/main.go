// Command recorder executes Go templates the way Packer 1.6.6 does (text/template, template name "root",
// Packer's function signatures) and prints each result as JSON. It exists to record goldens for what
// `packer console` cannot show: multi-line templates, data values, and time layouts at fixed instants.
// Its functions are stand-ins written for this purpose with the signatures of Packer's funcs.go.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/template"
	"time"
)

type testCase struct {
	Template  string            `json:"template"`
	Data      interface{}       `json:"data"`
	Vars      map[string]string `json:"vars"`
	EnableEnv bool              `json:"enable_env"`
	Env       map[string]string `json:"env"`
	BuildName string            `json:"build_name"`
	Clock     string            `json:"clock"`
}

type result struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

func funcs(c testCase, clock time.Time) template.FuncMap {
	return template.FuncMap{
		"user": func(k string) (string, error) {
			v, ok := c.Vars[k]
			if c.EnableEnv && !ok {
				return "", fmt.Errorf("Error: variable not set: %s", k)
			}
			return v, nil
		},
		"env": func(k string) (string, error) {
			if !c.EnableEnv {
				return "", errors.New("env vars are not allowed here")
			}
			return c.Env[k], nil
		},
		"build_name": func() (string, error) {
			if c.BuildName == "" {
				return "", errors.New("build_name not available")
			}
			return c.BuildName, nil
		},
		"isotime": func(format ...string) (string, error) {
			if len(format) == 0 {
				return clock.Format(time.RFC3339), nil
			}
			if len(format) > 1 {
				return "", fmt.Errorf("too many values, 1 needed: %v", format)
			}
			return clock.Format(format[0]), nil
		},
		"timestamp": func() string { return strconv.FormatInt(clock.Unix(), 10) },
		"split": func(k string, s string, i int) (string, error) {
			parts := strings.Split(k, s)
			if len(parts) <= i {
				return "", fmt.Errorf("the substring %d was unavailable using the separator value, %s, only %d values were found", i, s, len(parts))
			}
			return parts[i], nil
		},
		"replace":     func(o, n string, count int, src string) string { return strings.Replace(src, o, n, count) },
		"replace_all": func(o, n, src string) string { return strings.ReplaceAll(src, o, n) },
		"upper":       strings.ToUpper,
		"lower":       strings.ToLower,
	}
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	results := make([]result, 0, len(cases))
	for _, c := range cases {
		clock, err := time.Parse(time.RFC3339Nano, c.Clock)
		if err != nil {
			panic(err)
		}
		var out strings.Builder
		tpl, err := template.New("root").Funcs(funcs(c, clock)).Parse(c.Template)
		if err == nil {
			err = tpl.Execute(&out, c.Data)
		}
		r := result{Output: out.String()}
		if err != nil {
			r = result{Error: err.Error()}
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
}
