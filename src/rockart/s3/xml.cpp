// SPDX-License-Identifier: MIT
// Recursive-descent reader for the subset of XML that S3 sends. No DTDs (so no
// entity expansion attacks), a depth limit, and every malformed byte is an error
// rather than a guess.
#include <rockart/error.hpp>
#include <rockart/s3/xml.hpp>

namespace rockart::s3 {

namespace {

constexpr int k_max_depth = 32;

[[noreturn]] void malformed(const std::string& reason, std::size_t offset) {
  throw RemoteError("malformed XML in S3 response: " + reason + " at byte "
                        + std::to_string(offset),
                    0,
                    "MalformedXML");
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
         || c == ':' || c == '-' || c == '.' || u >= 0x80;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
public:
  explicit Parser(std::string_view doc) : m_doc(doc) {}

  XmlElement document() {
    if (m_doc.substr(0, 3) == "\xEF\xBB\xBF") {
      m_pos = 3;
    }
    skip_misc();
    if (!starts_with("<")) {
      malformed(m_doc.empty() ? "empty document" : "expected the root element", m_pos);
    }
    XmlElement root = element(1);
    skip_misc();
    if (m_pos != m_doc.size()) {
      malformed("content after the root element", m_pos);
    }
    return root;
  }

private:
  bool starts_with(std::string_view s) const {
    return m_doc.substr(m_pos).substr(0, s.size()) == s;
  }

  void skip_spaces() {
    while (m_pos < m_doc.size() && is_space(m_doc[m_pos])) {
      ++m_pos;
    }
  }

  // Skips up to and including `end`, which must occur.
  void skip_past(std::string_view end, const char* what) {
    const auto at = m_doc.find(end, m_pos);
    if (at == std::string_view::npos) {
      malformed(std::string("unterminated ") + what, m_pos);
    }
    m_pos = at + end.size();
  }

  // Whitespace, comments and processing instructions outside the root.
  void skip_misc() {
    for (;;) {
      skip_spaces();
      if (starts_with("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts_with("<!--")) {
        skip_past("-->", "comment");
      } else if (starts_with("<!")) {
        malformed("DTDs are not accepted", m_pos);
      } else {
        return;
      }
    }
  }

  std::string name() {
    const std::size_t start = m_pos;
    while (m_pos < m_doc.size() && is_name_char(m_doc[m_pos])) {
      ++m_pos;
    }
    if (m_pos == start) {
      malformed("expected a name", m_pos);
    }
    return std::string(m_doc.substr(start, m_pos - start));
  }

  static std::string local_name(const std::string& qualified) {
    const auto colon = qualified.rfind(':');
    return colon == std::string::npos ? qualified : qualified.substr(colon + 1);
  }

  // Skips attributes; returns true for an empty-element tag ("/>").
  bool attributes() {
    for (;;) {
      skip_spaces();
      if (starts_with("/>")) {
        m_pos += 2;
        return true;
      }
      if (starts_with(">")) {
        ++m_pos;
        return false;
      }
      name();
      skip_spaces();
      if (!starts_with("=")) {
        malformed("expected '=' after an attribute name", m_pos);
      }
      ++m_pos;
      skip_spaces();
      if (m_pos >= m_doc.size() || (m_doc[m_pos] != '"' && m_doc[m_pos] != '\'')) {
        malformed("expected a quoted attribute value", m_pos);
      }
      const char quote = m_doc[m_pos++];
      const auto end = m_doc.find(quote, m_pos);
      if (end == std::string_view::npos) {
        malformed("unterminated attribute value", m_pos);
      }
      m_pos = end + 1;
    }
  }

  void entity(std::string& out) {
    const std::size_t start = m_pos;
    const auto semi = m_doc.find(';', m_pos);
    if (semi == std::string_view::npos || semi - m_pos > 12) {
      malformed("unterminated entity", start);
    }
    const std::string_view ref = m_doc.substr(m_pos + 1, semi - m_pos - 1);
    m_pos = semi + 1;
    if (ref == "amp") {
      out += '&';
    } else if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() >= 2 && ref[0] == '#') {
      append_utf8(out, char_ref(ref.substr(1), start));
    } else {
      malformed("unknown entity &" + std::string(ref) + ";", start);
    }
  }

  static unsigned long char_ref(std::string_view digits, std::size_t offset) {
    const bool hex = digits[0] == 'x';
    if (hex) {
      digits.remove_prefix(1);
    }
    unsigned long cp = 0;
    for (char c : digits) {
      int v = -1;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
      }
      if (v < 0 || cp > 0x10FFFF) {
        malformed("bad character reference", offset);
      }
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
    }
    if (digits.empty() || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      malformed("bad character reference", offset);
    }
    return cp;
  }

  void end_tag(const std::string& open) {
    m_pos += 2;
    const std::string close = name();
    skip_spaces();
    if (close != open || !starts_with(">")) {
      malformed("expected </" + open + ">", m_pos);
    }
    ++m_pos;
  }

  XmlElement element(int depth) {
    if (depth > k_max_depth) {
      malformed("elements nested too deeply", m_pos);
    }
    ++m_pos; // '<'
    const std::string qualified = name();
    XmlElement out;
    out.name = local_name(qualified);
    if (attributes()) {
      return out;
    }
    for (;;) {
      if (m_pos >= m_doc.size()) {
        malformed("unterminated element <" + qualified + ">", m_pos);
      }
      if (starts_with("</")) {
        end_tag(qualified);
        return out;
      }
      if (starts_with("<!--")) {
        skip_past("-->", "comment");
      } else if (starts_with("<![CDATA[")) {
        const std::size_t start = m_pos + 9;
        skip_past("]]>", "CDATA section");
        out.text.append(m_doc.substr(start, m_pos - 3 - start));
      } else if (starts_with("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts_with("<!")) {
        malformed("DTDs are not accepted", m_pos);
      } else if (m_doc[m_pos] == '<') {
        out.children.push_back(element(depth + 1));
      } else if (m_doc[m_pos] == '&') {
        entity(out.text);
      } else {
        out.text += m_doc[m_pos++];
      }
    }
  }

  std::string_view m_doc;
  std::size_t m_pos = 0;
};

} // namespace

const XmlElement* XmlElement::child(std::string_view wanted) const {
  for (const auto& c : children) {
    if (c.name == wanted) {
      return &c;
    }
  }
  return nullptr;
}

std::string XmlElement::child_text(std::string_view wanted) const {
  const XmlElement* c = child(wanted);
  return c == nullptr ? std::string() : c->text;
}

XmlElement parse_xml(std::string_view document) {
  return Parser(document).document();
}

std::string unquote_etag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

} // namespace rockart::s3
