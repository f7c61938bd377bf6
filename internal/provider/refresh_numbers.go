package provider

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Numbers in a refreshed state are written as decimal text.
//
// `terraform plan -refresh-only -detailed-exitcode` exits 2 when the state
// after refresh differs from the state before it. Terraform before 1.15
// compares the two in memory with reflect.DeepEqual
// (internal/states/state_equal.go, ManagedResourcesEqual), and since 1.10
// each resource's encoded object there keeps the decoded value it was made
// from, down to the internals of each number's math/big value. The state
// before refresh was read from the state file: Terraform decodes its JSON
// numbers from their text, at a precision of 512 bits. The state after refresh comes
// from ReadResource: the plugin libraries encode a whole number as a
// MessagePack integer and any other number as a float64 when it holds the
// number, and Terraform decodes those at 64 and 53 bits. The numbers are the
// same, their big.Float values are not, so every resource with a number in
// its state counts as changed although nothing changed and the plan says "No
// changes" (hashicorp/terraform#37406; Terraform 1.15.0 compares the encoded
// states instead, hashicorp/terraform#37886).
//
// A number sent as a MessagePack string is decoded by Terraform from its
// text, exactly as the state file's JSON number is: writing each number of
// ReadResource's new state as the text Terraform writes into the state file
// makes an unchanged resource compare equal. This is needed for every
// resource type of the provider with a number in its state, on Terraform
// 1.10 to 1.14; it can go when the provider requires Terraform 1.15.
//
// It is not enough on Terraform before 1.12: those versions also compare
// the order of each object's sensitive attribute paths, which they draw
// anew, in Go's map order, each time they encode an object (once for the
// state before refresh, once for the state after it). A resource type with
// two or more sensitive attributes, such as tenant_config, then exits 2 in
// most runs whatever the provider answers (Terraform 1.12.0 sorts the paths,
// hashicorp/terraform#36465).

// withNumbersAsText returns ReadResource's response with every number of the
// new state written as decimal text. A response that carries an error, or a
// new state the conversion cannot read, is returned as it is: it is valid as
// the framework made it.
func withNumbersAsText(resp *tfprotov6.ReadResourceResponse, err error) (*tfprotov6.ReadResourceResponse, error) {
	if err != nil || resp == nil || resp.NewState == nil || len(resp.NewState.MsgPack) == 0 {
		return resp, err
	}
	if text, terr := numbersAsText(resp.NewState.MsgPack); terr == nil {
		resp.NewState = &tfprotov6.DynamicValue{MsgPack: text}
	}
	return resp, nil
}

// numbersAsText returns the MessagePack value data with every number (an
// integer or a float) replaced by its decimal text, as Terraform writes it
// into a state file. Everything else is copied unchanged.
func numbersAsText(data []byte) ([]byte, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(data))
	var out bytes.Buffer
	enc := msgpack.NewEncoder(&out)
	if err := copyNumbersAsText(dec, enc, 0); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// maxStateDepth bounds the nesting of a state value: far above the
// resource's schema plus the deepest overrides.
const maxStateDepth = 256

func copyNumbersAsText(dec *msgpack.Decoder, enc *msgpack.Encoder, depth int) error {
	if depth > maxStateDepth {
		return fmt.Errorf("state value nested deeper than %d levels", maxStateDepth)
	}
	code, err := dec.PeekCode()
	if err != nil {
		return err
	}
	switch {
	case code == msgpcode.Nil:
		if err := dec.DecodeNil(); err != nil {
			return err
		}
		return enc.EncodeNil()
	case code == msgpcode.True || code == msgpcode.False:
		b, err := dec.DecodeBool()
		if err != nil {
			return err
		}
		return enc.EncodeBool(b)
	case code == msgpcode.Uint64:
		u, err := dec.DecodeUint64()
		if err != nil {
			return err
		}
		return enc.EncodeString(new(big.Float).SetUint64(u).Text('f', -1))
	case msgpcode.IsFixedNum(code) || code == msgpcode.Int8 || code == msgpcode.Int16 || code == msgpcode.Int32 ||
		code == msgpcode.Int64 || code == msgpcode.Uint8 || code == msgpcode.Uint16 || code == msgpcode.Uint32:
		i, err := dec.DecodeInt64()
		if err != nil {
			return err
		}
		return enc.EncodeString(new(big.Float).SetInt64(i).Text('f', -1))
	case code == msgpcode.Float || code == msgpcode.Double:
		f, err := dec.DecodeFloat64()
		if err != nil {
			return err
		}
		return enc.EncodeString(new(big.Float).SetFloat64(f).Text('f', -1))
	case msgpcode.IsString(code):
		s, err := dec.DecodeString()
		if err != nil {
			return err
		}
		return enc.EncodeString(s)
	case msgpcode.IsFixedArray(code) || code == msgpcode.Array16 || code == msgpcode.Array32:
		n, err := dec.DecodeArrayLen()
		if err != nil {
			return err
		}
		if err := enc.EncodeArrayLen(n); err != nil {
			return err
		}
		for range n {
			if err := copyNumbersAsText(dec, enc, depth+1); err != nil {
				return err
			}
		}
		return nil
	case msgpcode.IsFixedMap(code) || code == msgpcode.Map16 || code == msgpcode.Map32:
		n, err := dec.DecodeMapLen()
		if err != nil {
			return err
		}
		if err := enc.EncodeMapLen(n); err != nil {
			return err
		}
		for range 2 * n {
			if err := copyNumbersAsText(dec, enc, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	// Binary data and extensions (an unknown value) hold no number that
	// Terraform decodes as one: copied as they are.
	raw, err := dec.DecodeRaw()
	if err != nil {
		return err
	}
	return enc.Encode(raw)
}
