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

// Maps byte offsets of a UTF-8 source to lines and columns. The line index is
// built on first use: most documents never need a position.
class LineIndex {
public:
    explicit LineIndex(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    TextPosition position(std::uint32_t offset) const;
    // Byte offset of a 0-based line and character column (what libyaml reports).
    std::uint32_t offsetOf(std::size_t line, std::size_t column) const;

private:
    void build() const;

    QByteArray m_bytes;
    mutable std::once_flag m_built;
    mutable std::vector<std::uint32_t> m_lineStarts;
};

} // namespace portolan
