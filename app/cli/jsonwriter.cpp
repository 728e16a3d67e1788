#include "jsonwriter.h"

#include "jsonscan.h"

namespace cli {

void JsonWriter::newline()
{
    m_buffer += '\n';
    m_buffer.append(m_hasItems.size() * 4, ' ');
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_hasItems.empty()) {
        if (m_hasItems.back())
            m_buffer += ',';
        m_hasItems.back() = true;
        newline();
    }
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    m_buffer += bracket;
    m_hasItems.push_back(false);
}

void JsonWriter::close(char bracket)
{
    const bool hadItems = m_hasItems.back();
    m_hasItems.pop_back();
    if (hadItems)
        newline();
    m_buffer += bracket;
    if (m_hasItems.empty())
        m_buffer += '\n';
    if (m_buffer.size() > (1 << 20))
        flush();
}

void JsonWriter::key(const char *name)
{
    beforeValue();
    appendString(std::string_view(name));
    m_buffer += ": ";
    m_afterKey = true;
}

void JsonWriter::value(const QString &text)
{
    beforeValue();
    appendString(text);
}

void JsonWriter::value(bool b)
{
    beforeValue();
    m_buffer += b ? "true" : "false";
}

void JsonWriter::value(int n)
{
    beforeValue();
    m_buffer += std::to_string(n);
}

void JsonWriter::appendString(const QString &text)
{
    // Encoded into a buffer kept from string to string: a UTF-8 copy of each
    // (an allocation and a free) was half the cost of writing it.
    const std::size_t room = std::size_t(m_encoder.requiredSpace(text.size()));
    if (m_utf8.size() < room)
        m_utf8.resize(room);
    const char *end = m_encoder.appendToBuffer(m_utf8.data(), text);
    appendString(std::string_view(m_utf8.data(), std::size_t(end - m_utf8.data())));
}

void JsonWriter::appendString(std::string_view utf8)
{
    m_buffer += '"';
    const char *end = utf8.data() + utf8.size();
    for (const char *p = utf8.data();;) {
        const char *special = portolan::findJsonStringSpecial(p, end);  // bytes before it need no escape
        m_buffer.append(p, std::size_t(special - p));
        if (special == end)
            break;
        switch (const char c = *special) {
        case '"': m_buffer += "\\\""; break;
        case '\\': m_buffer += "\\\\"; break;
        case '\n': m_buffer += "\\n"; break;
        case '\r': m_buffer += "\\r"; break;
        case '\t': m_buffer += "\\t"; break;
        case '\b': m_buffer += "\\b"; break;
        case '\f': m_buffer += "\\f"; break;
        default: {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            m_buffer += escape;
        }
        }
        p = special + 1;
    }
    m_buffer += '"';
}

void JsonWriter::flush()
{
    std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_out);
    std::fflush(m_out);
    m_buffer.clear();
}

void writeDiagnostic(JsonWriter &w, const portolan::Diagnostic &d)
{
    w.beginObject();
    w.field("severity", portolan::severityName(d.severity));
    w.field("message", d.message);
    w.field("file", d.location.file);
    w.field("line", d.location.line);
    w.field("column", d.location.column);
    w.field("pointer", d.location.pointer);
    w.endObject();
}

} // namespace cli
