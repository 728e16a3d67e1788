#pragma once

#include "nodetree.h"

#include <QString>

#include <atomic>
#include <optional>

namespace portolan {

class SourceArrival;

// Bounds that keep hostile input from exhausting the stack or memory.
struct ParseLimits {
    std::size_t maxDepth = 512;               // nesting of arrays and objects
    std::size_t maxAliasNodes = 1'000'000;    // values YAML aliases may add in all
};

struct ParseError {
    std::uint32_t offset = 0;  // byte offset in the source
    QString message;
};

enum class SourceFormat { Json, Yaml };

struct ParseResult {
    NodeTree tree;
    SourceFormat format = SourceFormat::Json;
    std::optional<ParseError> error;
    // Parsed, but with a caveat: a YAML stream with more than one document.
    std::optional<ParseError> warning;
};

// Parsers stop at the first syntax error: the tree is then empty.
// `cancelled`, when given, is polled so that a long parse can be abandoned.
// `arrival`, when given, says how much of `bytes` has been read in so far
// (see SourceArrival); what it reads is then what would be read whole, and
// an empty result when the reading ended short, for the reader to report.
ParseResult parseJson(const QByteArray &bytes, const ParseLimits &limits = {},
                      const std::atomic_bool *cancelled = nullptr, SourceArrival *arrival = nullptr);
ParseResult parseYaml(const QByteArray &bytes, const ParseLimits &limits = {},
                      const std::atomic_bool *cancelled = nullptr);
// Why a tree the parsers built cannot be used, if a value in it is too large
// for the tree to hold (see NodeTree::oversizedValue): each parser's last check.
std::optional<ParseError> oversizedValueError(const NodeTree &tree);
// JSON or YAML, told apart by the content rather than a file name.
ParseResult parseJsonOrYaml(const QByteArray &bytes, const ParseLimits &limits = {},
                            const std::atomic_bool *cancelled = nullptr, SourceArrival *arrival = nullptr);

} // namespace portolan
