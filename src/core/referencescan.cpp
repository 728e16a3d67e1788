#include "referencescan.h"

#include "jsonpointer.h"

#include <algorithm>
#include <deque>

namespace portolan {

namespace {

bool isDataKeyword(std::string_view key)
{
    return key == "example" || key == "default" || key == "enum" || key == "const";
}

QString pointerOf(const std::vector<std::string_view> &tokens)
{
    QString pointer;
    for (std::string_view token : tokens)
        pointer = jsonpointer::append(pointer, token);
    return pointer;
}

} // namespace

std::vector<ReferenceSite> collectReferences(const SourceDocument &document)
{
    const NodeTree &tree = document.tree();
    std::vector<ReferenceSite> sites;
    if (tree.isEmpty())
        return sites;

    // Iterative depth-first walk: the token path is kept as views so that a
    // pointer string is only built for the few values that are references.
    struct Frame {
        NodeId node;
        std::uint32_t next;
    };
    std::vector<Frame> stack{{tree.root(), 0}};
    std::vector<std::string_view> path;
    std::deque<std::string> indexTokens;  // array indices need storage that never moves
    if (tree.isObject(tree.root()) && tree.isString(tree.member(tree.root(), "$ref")))
        sites.push_back({tree.root(), QString(), tree.text(tree.member(tree.root(), "$ref"))});
    while (!stack.empty()) {
        Frame &frame = stack.back();
        const Node &node = tree.node(frame.node);
        const bool container = node.kind == NodeKind::Object || node.kind == NodeKind::Array;
        if (!container || frame.next >= node.count) {
            stack.pop_back();
            if (!path.empty())
                path.pop_back();
            continue;
        }
        const std::uint32_t index = frame.next++;
        const Member &m = tree.membersBegin(frame.node)[index];
        const Node &child = tree.node(m.value);
        if (child.kind != NodeKind::Object && child.kind != NodeKind::Array)
            continue;
        if (node.kind == NodeKind::Object && isDataKeyword(m.key))
            continue;
        if (node.kind == NodeKind::Array) {
            if (indexTokens.size() <= stack.size())
                indexTokens.resize(stack.size() + 1);
            indexTokens[stack.size()] = std::to_string(index);
            path.push_back(indexTokens[stack.size()]);
        } else {
            path.push_back(m.key);
        }
        if (child.kind == NodeKind::Object) {
            const NodeId ref = tree.member(m.value, "$ref");
            if (tree.isString(ref))
                sites.push_back({m.value, pointerOf(path), tree.text(ref)});
        }
        stack.push_back({m.value, 0});
    }
    std::sort(sites.begin(), sites.end(), [](const ReferenceSite &a, const ReferenceSite &b) { return a.refObject < b.refObject; });
    return sites;
}

NodeId subtreeBegin(const NodeTree &tree, NodeId id)
{
    for (;;) {
        const Node &n = tree.node(id);
        if ((n.kind != NodeKind::Object && n.kind != NodeKind::Array) || n.count == 0)
            return id;
        id = tree.membersBegin(id)[0].value;
    }
}

} // namespace portolan
