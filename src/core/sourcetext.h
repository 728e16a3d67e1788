#pragma once

#include <QByteArray>

#include <cstdint>
#include <mutex>
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
    explicit LineIndex(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    TextPosition position(std::uint32_t offset) const;

private:
    static constexpr std::uint32_t kBlock = 4096;
    struct Checkpoint {
        std::uint32_t line;       // 1-based
        std::uint32_t character;  // characters since the line's start, 0-based
    };

    void build() const;

    QByteArray m_bytes;
    mutable std::once_flag m_built;
    mutable std::vector<Checkpoint> m_checkpoints;  // at offsets 0, kBlock, 2 kBlock, …
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
