#include "referencescan.h"

#include <algorithm>

namespace portolan {

std::vector<ReferenceSite> collectReferences(NodeTree &tree)
{
    std::vector<ReferenceSite> sites;
    NodeTree::ReferenceNotes notes = tree.takeReferenceNotes();
    if (tree.isEmpty())
        return sites;
    // A subtree is the id range [subtreeBegin(id), id]: the root's holds the
    // document, and a data value's is the range to leave out.
    const NodeId rootBegin = tree.subtreeBegin(tree.root());
    sites.reserve(notes.refs.size());  // kept as long as the document: no room to spare
    for (const auto &[object, ref] : notes.refs) {
        if (object >= rootBegin && object <= tree.root())
            sites.push_back({object, ref});
    }
    std::vector<NodeId> nameMaps = std::move(notes.nameMaps);  // in the order their holders were added, not of their own ids
    std::sort(nameMaps.begin(), nameMaps.end());
    std::vector<std::pair<NodeId, NodeId>> dataRanges;
    for (const NodeTree::ReferenceNotes::DataValue &data : notes.dataValues) {
        if (data.holder >= rootBegin && data.holder <= tree.root() && !std::binary_search(nameMaps.begin(), nameMaps.end(), data.holder))
            dataRanges.emplace_back(data.begin, data.end);
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
