#include "referencescan.h"

#include <algorithm>
#include <deque>

namespace portolan {

namespace {

bool isDataKeyword(std::string_view key)
{
    return key == "example" || key == "default" || key == "enum" || key == "const";
}

} // namespace

std::vector<ReferenceSite> collectReferences(const NodeTree &tree)
{
    std::vector<ReferenceSite> sites;
    if (tree.isEmpty())
        return sites;
    auto visit = [&](NodeId id) {
        if (!tree.isObject(id))
            return;
        const NodeId ref = tree.member(id, "$ref");
        if (tree.isString(ref))
            sites.push_back({id, tree.text(ref)});
    };
    // Iterative, so that nesting depth never matters to the stack.
    std::vector<NodeId> stack{tree.root()};
    visit(tree.root());
    while (!stack.empty()) {
        const NodeId id = stack.back();
        stack.pop_back();
        const bool isObject = tree.isObject(id);
        for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
            const NodeKind kind = tree.kind(m->value);
            if ((kind != NodeKind::Object && kind != NodeKind::Array) || (isObject && isDataKeyword(m->key)))
                continue;
            visit(m->value);
            stack.push_back(m->value);
        }
    }
    std::sort(sites.begin(), sites.end(), [](const ReferenceSite &a, const ReferenceSite &b) { return a.refObject < b.refObject; });
    return sites;
}

} // namespace portolan
