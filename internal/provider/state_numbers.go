package provider

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Numbers in a refreshed state are written as decimal text.
//
// `terraform plan -refresh-only -detailed-exitcode` reports drift when the
// state after refresh differs from the state before it, and Terraform (1.11)
// compares the two in memory, by reflection, down to the internals of each
// number's math/big value. The state before refresh was read from the state
// file: Terraform decodes its JSON numbers from their text, at a precision
// of 512 bits. The state after refresh comes from ReadResource: the plugin
// libraries encode a whole number as a MessagePack integer and any other
// number as a float64 when it holds the number, and Terraform decodes those
// at 64 and 53 bits. The numbers are the same, their big.Float values are
// not, so every resource with a number attribute counts as drifted although
// nothing changed and the plan says "No changes".
//
// A number sent as a MessagePack string is decoded by Terraform from its
// text, exactly as the state file's JSON number is: writing each number of
// ReadResource's new state as the text Terraform writes into the state file
// makes an unchanged resource compare equal.

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
