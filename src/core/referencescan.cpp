#include "referencescan.h"

#include <algorithm>

namespace portolan {

namespace {

bool isDataKeyword(std::string_view key)
{
    return key == "example" || key == "default" || key == "enum" || key == "const";
}

bool isContainer(NodeKind kind) { return kind == NodeKind::Object || kind == NodeKind::Array; }

} // namespace

std::vector<ReferenceSite> collectReferences(const NodeTree &tree)
{
    std::vector<ReferenceSite> sites;
    if (tree.isEmpty())
        return sites;
    // A subtree is the id range [subtreeBegin(id), id], so one pass over the
    // nodes in id order finds every $ref object (in ascending order) and the
    // range of every data value; no walk hopping around the tree is needed.
    std::vector<std::pair<NodeId, NodeId>> dataRanges;
    const NodeId rootBegin = tree.subtreeBegin(tree.root());
    for (NodeId id = rootBegin; id <= tree.root(); ++id) {
        if (!tree.isObject(id))
            continue;
        NodeId ref = kNoNode;
        for (const Member *m = tree.membersBegin(id), *end = tree.membersEnd(id); m != end; ++m) {
            if (m->key().empty())
                continue;
            const char first = m->key().front();
            if (first == '$' && m->key() == "$ref")
                ref = m->value;  // the last one counts, as in NodeTree::member
            else if ((first == 'e' || first == 'd' || first == 'c') && isDataKeyword(m->key()) && isContainer(tree.kind(m->value)))
                dataRanges.emplace_back(tree.subtreeBegin(m->value), m->value);
        }
        if (tree.isString(ref))
            sites.push_back({id, tree.text(ref)});
    }
    if (dataRanges.empty())
        return sites;
    // Drop the sites inside data values.
    std::sort(dataRanges.begin(), dataRanges.end());
    auto range = dataRanges.begin();
    NodeId coveredTo = 0;  // ranges before `range` cover ids up to here
    bool covered = false;
    sites.erase(std::remove_if(sites.begin(), sites.end(), [&](const ReferenceSite &site) {
        while (range != dataRanges.end() && range->first <= site.refObject) {
            coveredTo = covered ? std::max(coveredTo, range->second) : range->second;
            covered = true;
            ++range;
        }
        return covered && site.refObject <= coveredTo;
    }), sites.end());
    return sites;
}

} // namespace portolan
