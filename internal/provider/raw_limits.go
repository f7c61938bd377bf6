package provider

import (
	"encoding/binary"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/tenantry/terraform-provider-tenant/internal/render"
)

// The limits of a tenant_config configuration as Terraform sends it
// (msgpack), checked before it is decoded: decoding a dynamic value builds
// its type from JSON and every value on the way, which for a 100,000-key
// object takes seconds and hundreds of megabytes. A configuration within
// render's limits (render.LimitsDescription) is far below these.
const (
	// maxRawConfigBytes bounds the whole encoded configuration: overrides
	// and sensitive_overrides (each at most render.MaxRenderedBytes of keys
	// and strings, and their type descriptions), the variables maps and
	// the arguments.
	maxRawConfigBytes = 8 * render.MaxRenderedBytes
	// maxRawConfigValues bounds the values of each argument of the encoded
	// configuration: an overrides at its limit (a key counts as a value, so
	// an object of n values is 2n) or a variables map at its limit, with
	// room to spare. Counting per argument refuses one oversized argument
	// before the framework decodes it, which for tens of thousands of
	// values takes it tens of seconds.
	maxRawConfigValues = 2*max(render.MaxOverrideNodes, render.MaxVariables) + 1_000
	// maxRawStringBytes bounds one encoded string: a value of at most
	// render.MaxStringBytes, or the type of a dynamic value (its JSON grows
	// with the number of keys, at most render.MaxRenderedTextBytes).
	maxRawStringBytes = render.MaxRenderedTextBytes
)

// oversizedConfig returns why an encoded tenant_config configuration is over
// the limits, and the argument where it crossed them ("" when it cannot
// tell), or "": it reads the msgpack without building any value, and stops
// at the first limit crossed.
func oversizedConfig(raw []byte) (why, attr string) {
	s := rawScanner{buf: raw}
	if len(raw) > 0 && (raw[0]&0xf0 == 0x80 || raw[0] == 0xde || raw[0] == 0xdf) {
		// The configuration is an object: scan it argument by argument.
		n := s.mapLen()
		s.values++
		for i := 0; i < n && s.err == ""; i++ {
			attr = s.key()
			s.values = 0 // each argument has its own budget
			s.value(1)
		}
	} else {
		s.value(0)
	}
	if s.err == "" && len(raw) > maxRawConfigBytes {
		return fmt.Sprintf("The configuration of this tenant_config takes %d bytes, more than the %d MiB its arguments can hold together. %s",
			len(raw), maxRawConfigBytes>>20, render.LimitsDescription), ""
	}
	if s.err != "" {
		return s.err + " " + render.LimitsDescription, attr
	}
	return "", ""
}

type rawScanner struct {
	buf    []byte
	pos    int
	values int
	err    string
}

// mapLen reads the header of a map and returns its number of pairs.
func (s *rawScanner) mapLen() int {
	b := s.next(1)
	switch {
	case b == nil:
		return 0
	case b[0]&0xf0 == 0x80:
		return int(b[0] & 0x0f)
	case b[0] == 0xde:
		return s.uint(2)
	}
	return s.uint(4)
}

// key reads a map key that is a string and returns it ("" for another kind
// of value, which is skipped).
func (s *rawScanner) key() string {
	if s.pos >= len(s.buf) {
		s.fail("The configuration is not valid msgpack.")
		return ""
	}
	c := s.buf[s.pos]
	var n int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		s.pos++
		n = int(c & 0x1f)
	case c == 0xd9:
		s.pos++
		n = s.uint(1)
	case c == 0xda:
		s.pos++
		n = s.uint(2)
	default:
		s.value(1)
		return ""
	}
	s.values++
	if n > maxQuotedKey {
		s.next(n)
		return ""
	}
	return string(s.next(n))
}

// maxQuotedKey is the longest argument name oversizedConfig reports.
const maxQuotedKey = 64

func (s *rawScanner) fail(msg string) {
	if s.err == "" {
		s.err = msg
	}
}

// next returns the next n bytes, or nil (and an error) when there are not.
func (s *rawScanner) next(n int) []byte {
	if n < 0 || s.pos+n > len(s.buf) {
		s.fail("The configuration is not valid msgpack.")
		return nil
	}
	b := s.buf[s.pos : s.pos+n]
	s.pos += n
	return b
}

func (s *rawScanner) uint(n int) int {
	b := s.next(n)
	switch {
	case b == nil:
		return 0
	case n == 1:
		return int(b[0])
	case n == 2:
		return int(binary.BigEndian.Uint16(b))
	}
	v := binary.BigEndian.Uint32(b)
	if uint64(v) > uint64(len(s.buf)) {
		return len(s.buf) + 1 // more than there can be: next fails
	}
	return int(v)
}

// value skips one msgpack value, counting the values it holds.
func (s *rawScanner) value(depth int) {
	if s.err != "" {
		return
	}
	s.values++
	if s.values > maxRawConfigValues {
		s.fail(fmt.Sprintf("The configuration of this tenant_config holds more than %d values in one argument, more than any argument can hold.", maxRawConfigValues))
		return
	}
	if depth > 2*render.MaxOverrideDepth+8 {
		s.fail(fmt.Sprintf("The configuration of this tenant_config is nested deeper than %d levels.", render.MaxOverrideDepth))
		return
	}
	b := s.next(1)
	if b == nil {
		return
	}
	c := b[0]
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3: // fixint, nil, bool
	case c >= 0x80 && c <= 0x8f:
		s.items(2*int(c&0x0f), depth)
	case c >= 0x90 && c <= 0x9f:
		s.items(int(c&0x0f), depth)
	case c >= 0xa0 && c <= 0xbf:
		s.next(int(c & 0x1f))
	default:
		switch c {
		case 0xc4, 0xd9: // bin8, str8
			s.next(s.uint(1))
		case 0xc5, 0xda: // bin16, str16
			s.next(s.uint(2))
		case 0xc6, 0xdb: // bin32, str32
			n := s.uint(4)
			if n > maxRawStringBytes {
				s.fail(fmt.Sprintf("A string of %d bytes: the limit of any string is %d KiB.", n, render.MaxStringBytes>>10))
				return
			}
			s.next(n)
		case 0xc7: // ext8
			s.next(s.uint(1) + 1)
		case 0xc8: // ext16
			s.next(s.uint(2) + 1)
		case 0xc9: // ext32
			s.next(s.uint(4) + 1)
		case 0xca, 0xce, 0xd2: // float32, uint32, int32
			s.next(4)
		case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
			s.next(8)
		case 0xcc, 0xd0: // uint8, int8
			s.next(1)
		case 0xcd, 0xd1: // uint16, int16
			s.next(2)
		case 0xd4: // fixext1 (Terraform's unknown value)
			s.next(2)
		case 0xd5:
			s.next(3)
		case 0xd6:
			s.next(5)
		case 0xd7:
			s.next(9)
		case 0xd8:
			s.next(17)
		case 0xdc: // array16
			s.items(s.uint(2), depth)
		case 0xdd: // array32
			s.items(s.uint(4), depth)
		case 0xde: // map16
			s.items(2*s.uint(2), depth)
		case 0xdf: // map32
			s.items(2*s.uint(4), depth)
		default:
			s.fail("The configuration is not valid msgpack.")
		}
	}
}

func (s *rawScanner) items(n, depth int) {
	if s.values+n/2 > maxRawConfigValues {
		s.fail(fmt.Sprintf("The configuration of this tenant_config holds more than %d values in one argument (an object or list here holds %d), more than any argument can hold.", maxRawConfigValues, n))
		return
	}
	for i := 0; i < n && s.err == ""; i++ {
		s.value(depth + 1)
	}
}

// oversizedConfigDiagnostics is the error of a tenant_config configuration
// over the limits, for the protocol server to answer ValidateResourceConfig
// and PlanResourceChange with before the framework decodes the value; nil
// for another resource type or a configuration within the limits.
func oversizedConfigDiagnostics(typeName string, config *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	if typeName != "tenant_config" || config == nil || config.MsgPack == nil {
		return nil
	}
	why, attr := oversizedConfig(config.MsgPack)
	if why == "" {
		return nil
	}
	d := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: "The tenant configuration is too large", Detail: why}
	if attr != "" {
		d.Summary = "Argument " + attr + " is too large"
		d.Attribute = tftypes.NewAttributePath().WithAttributeName(attr)
	}
	return []*tfprotov6.Diagnostic{d}
}
