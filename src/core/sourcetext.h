#pragma once

#include <QByteArray>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

namespace portolan {

struct TextPosition {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in characters
};

// Maps byte offsets of a UTF-8 source to lines and columns. A checkpoint
// every 4 KB holds the line and column its block starts at, so a position is
// found by reading at most one block: whether the source has short lines or
// is one long line (minified JSON), where counting from the line's start
// read megabytes for each diagnostic. Built on first use: most documents
// never need a position.
class LineIndex {
public:
    static constexpr std::uint32_t kBlock = 4096;
    struct Checkpoint {
        std::uint32_t line;       // 1-based
        std::uint32_t character;  // characters since the line's start, 0-based
    };

    explicit LineIndex(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    // With the checkpoints of all of `bytes`, counted as they were read in (see LineCounter).
    LineIndex(QByteArray bytes, std::vector<Checkpoint> counted)
        : m_bytes(std::move(bytes)), m_counted(!counted.empty()), m_checkpoints(std::move(counted)) {}
    // `read(from, to)`, when given, reads the bytes [from, to) that are
    // counted (at most a block), where they are not to be read in place
    // (see SourceDocument::positionAt()).
    using Reader = std::function<std::string_view(std::uint32_t from, std::uint32_t to)>;
    TextPosition position(std::uint32_t offset, const Reader &read = {}) const;

private:
    void build() const;

    QByteArray m_bytes;
    const bool m_counted = false;
    mutable std::once_flag m_built;
    mutable std::vector<Checkpoint> m_checkpoints;  // at offsets 0, kBlock, 2 kBlock, …
};

// A LineIndex's checkpoints, counted by the thread that reads a large file
// as each chunk comes in, while the chunk is in its cache and the parser
// catches up: building them on the first diagnostic read the whole file
// again, on a core the checks needed (3 ms of a 13 MB description's load).
class LineCounter {
public:
    // The next bytes, [counted(), end) of `data`.
    void count(const char *data, std::size_t end);
    std::size_t counted() const { return m_offset; }
    std::vector<LineIndex::Checkpoint> take() { return std::move(m_checkpoints); }

private:
    std::vector<LineIndex::Checkpoint> m_checkpoints;
    std::size_t m_offset = 0;
    std::uint32_t m_line = 1;
    std::uint32_t m_character = 0;
};

// Byte offsets of 0-based lines and character columns, as libyaml reports
// them, asked for in the order a parser reads: each is found from the one
// before, so that a whole parse reads the source once.
class LineCursor {
public:
    explicit LineCursor(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    std::uint32_t offsetOf(std::size_t line, std::size_t column);

private:
    QByteArray m_bytes;
    std::size_t m_line = 0;         // the line m_lineStart starts
    std::uint32_t m_lineStart = 0;
};

} // namespace portolan
