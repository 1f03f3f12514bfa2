package docx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one XML element. WordprocessingML is read into a small tree rather
// than with struct tags because the same element (w:p, w:r, w:sdt…) nests at
// many depths and struct mapping would lose document order.
type node struct {
	space string // namespace URI
	local string
	attr  []xml.Attr
	kids  []*node
	text  string // character data of a leaf such as w:t
}

// maxDepth bounds element nesting: real documents stay far below it, and a
// hostile file must not blow the stack of the recursive walk.
const maxDepth = 256

var errTooDeep = errors.New("XML nested too deeply")

// parseXML reads an XML part into a tree.
func parseXML(r io.Reader) (*node, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	root := &node{}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxDepth {
				return nil, errTooDeep
			}
			n := &node{space: t.Name.Space, local: t.Name.Local, attr: t.Attr}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top := stack[len(stack)-1]
			// Only text elements carry meaningful character data; the
			// whitespace between other elements is layout of the XML.
			if top.local == "t" || top.local == "instrText" || top.local == "delText" || top.local == "title" ||
				top.local == "created" || top.local == "modified" || top.local == "subject" || top.local == "creator" {
				top.text += string(t)
			}
		}
	}
	if len(root.kids) == 0 {
		return nil, fmt.Errorf("no root element")
	}
	return root.kids[0], nil
}

// attr returns the value of the attribute with that local name (w:val,
// r:id…), whatever its namespace prefix.
func (n *node) attr1(local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) val() string {
	v, _ := n.attr1("val")
	return v
}

// child returns the first child element with that local name.
func (n *node) child(local string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.local == local {
			return k
		}
	}
	return nil
}

// find returns the first descendant with that local name (depth first).
func (n *node) find(local string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.local == local {
			return k
		}
		if f := k.find(local); f != nil {
			return f
		}
	}
	return nil
}

// onOff reads a WordprocessingML toggle property (<w:b/>, <w:b w:val="0"/>).
// A missing element is "not set" (nil).
func onOff(n *node) *bool {
	if n == nil {
		return nil
	}
	v := strings.ToLower(n.val())
	on := !(v == "0" || v == "false" || v == "off" || v == "none")
	return &on
}
