#pragma once

#include "nodetree.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portolan {

// RFC 6901 JSON pointers, and their form inside a URI fragment (RFC 3986
// percent escapes on top of ~0 and ~1).
namespace jsonpointer {

// ("/x", "a/b~c") -> "/x/a~1b~0c"
QString append(const QString &pointer, QStringView token);
QString append(const QString &pointer, std::string_view token);
QString append(const QString &pointer, std::size_t index);
// Appends '/' and `token` escaped to a pointer built as UTF-8 ('~' and '/'
// are ASCII, so escaping bytes is escaping characters): pointers built this
// way are converted to QString once, not once per token.
void appendEscaped(std::string &pointer, std::string_view token);
// {"a/b", "c"} -> "/a~1b/c"
QString fromTokens(const std::vector<std::string> &tokens);
// Splits "/a~1b/c" into {"a/b", "c"}; nullopt when it does not start with '/'.
std::optional<std::vector<std::string>> split(std::string_view pointer);
// A $ref fragment ("/paths/~1pets%7Bid%7D") to its tokens, percent escapes decoded.
std::optional<std::vector<std::string>> splitFragment(std::string_view fragment);
// The pointer of a value: found by descending from the root (members'
// ids ascend, so each step is a binary search). Cheap enough to compute
// only when a diagnostic needs it.
QString pointerTo(const NodeTree &tree, NodeId id);
// The node the tokens lead to, or kNoNode.
NodeId resolve(const NodeTree &tree, NodeId from, const std::vector<std::string> &tokens);
// The value `pointer` names in `tree`, or the last one on its way that there
// is (a diagnostic may name a member that is missing); kNoNode if the
// pointer is not one.
NodeId resolveDeepest(const NodeTree &tree, std::string_view pointer);

} // namespace jsonpointer
} // namespace portolan
