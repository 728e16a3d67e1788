#pragma once

#include "diagnostic.h"

#include <QString>
#include <QStringEncoder>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

// Streams indented JSON to a FILE. The inspect summary of a 22,000-operation
// document is written this way because building it as a QJsonDocument first
// took half the run time and a quarter of the memory.
class JsonWriter {
public:
    explicit JsonWriter(std::FILE *out) : m_out(out) {}
    ~JsonWriter() { flush(); }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    // A key the code spells out, written as it stands: it needs no escape.
    struct Key {
        template <std::size_t N>
        constexpr Key(const char (&literal)[N]) : text(literal, N - 1)  // implicit: w.key("name")
        {
        }
        std::string_view text;
    };
    void key(Key name);
    // A key from the document (a server variable's, a scope's name), escaped where it must be.
    void nameKey(const QString &name);
    void value(const QString &text);
    void value(std::string_view utf8);
    void value(const char *text) { value(QString::fromUtf8(text)); }
    void value(bool b);
    void value(int n);
    // key + value in one call
    template <typename T>
    void field(Key name, const T &v)
    {
        key(name);
        value(v);
    }
    void flush();

private:
    void open(char bracket);
    void close(char bracket);
    void beforeValue();
    void newline();
    void appendString(const QString &text);
    void appendString(std::string_view utf8);
    void appendEscaped(std::string_view utf8);

    // Room for `n` more bytes at the end of the buffer, to be written through
    // the pointer returned. Writing pieces this way, rather than appending
    // each to a std::string, halved the time the output of a 22,000-operation
    // summary took: most pieces are a few bytes long.
    char *room(std::size_t n)
    {
        if (n > m_capacity - m_size)
            makeRoom(n);
        char *at = m_data.get() + m_size;
        m_size += n;
        return at;
    }
    void makeRoom(std::size_t n);
    void append(std::string_view bytes) { std::memcpy(room(bytes.size()), bytes.data(), bytes.size()); }
    void append(char c) { *room(1) = c; }

    // Written out a chunk at a time: one that stays in the cache is reused
    // while hot, where the pages of a megabyte were memory touched for a summary half that size.
    static constexpr std::size_t kChunk = 64 * 1024;
    std::FILE *m_out;
    std::unique_ptr<char[]> m_data{new char[kChunk]};
    std::size_t m_capacity = kChunk;
    std::size_t m_size = 0;
    QStringEncoder m_encoder{QStringEncoder::Utf8, QStringEncoder::Flag::Stateless};
    std::string m_toEscape;  // appendString's copy of a text that needs escapes; only grows
    std::vector<std::uint8_t> m_hasItems;  // per open container; bytes, not std::vector<bool>'s bits, read for every value
    bool m_afterKey = false;
};

// {"severity", "message", "file", "line", "column", "pointer"}: the form of
// every diagnostic portolan-cli prints as JSON.
void writeDiagnostic(JsonWriter &w, const portolan::Diagnostic &d);

} // namespace cli
