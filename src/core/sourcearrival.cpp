#include "sourcearrival.h"

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace portolan {

void SourceArrival::fills(void *nodes, void *members, std::size_t room)
{
    m_room.store(room, std::memory_order_relaxed);
    m_members.store(static_cast<char *>(members), std::memory_order_relaxed);
    m_nodes.store(static_cast<char *>(nodes), std::memory_order_release);
}

void SourceArrival::parseEnded()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_parseEnded.store(true, std::memory_order_release);
    }
    m_changed.notify_all();
}

void SourceArrival::faultAhead()
{
#ifdef MADV_POPULATE_WRITE
    constexpr std::uintptr_t kPage = 4096;
    constexpr std::size_t kEntry = 12;
    // Null for a YAML parse, which reads only once all has arrived.
    char *const nodes = m_nodes.load(std::memory_order_acquire);
    char *const members = m_members.load(std::memory_order_relaxed);
    const std::size_t room = m_room.load(std::memory_order_relaxed);
    std::size_t faulted = 0;  // entries of each array
    while (nodes && !m_parseEnded.load(std::memory_order_acquire)) {
        const std::size_t filled = m_filled.load(std::memory_order_relaxed);
        if (filled >= room)
            return;  // past its room an array moves, and the room it leaves is the tree's no more
        const std::size_t target = std::min(filled + kFaultAhead, room);
        if (target < faulted + kFaultAhead / 4) {  // in steps of some pages, not one by one
            // Until the parser has gone further, or is done: the parsing
            // thread waits for this one once it is.
            std::unique_lock<std::mutex> lock(m_mutex);
            m_changed.wait_for(lock, std::chrono::microseconds(200), [&] { return m_parseEnded.load(std::memory_order_relaxed); });
            continue;
        }
        // Populating faults pages in as a write would, without writing:
        // what the parser wrote stays, and so does whatever the room holds
        // if the array moved out before the parser's last count said so.
        for (char *array : {nodes, members}) {
            const std::uintptr_t from = (std::uintptr_t(array) + faulted * kEntry) & ~(kPage - 1);
            const std::uintptr_t to = (std::uintptr_t(array) + target * kEntry + kPage - 1) & ~(kPage - 1);
            madvise(reinterpret_cast<void *>(from), to - from, MADV_POPULATE_WRITE);
        }
        faulted = target;
    }
#endif
}

void SourceArrival::arrived(qint64 count)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_arrived.store(count, std::memory_order_release);
    }
    m_changed.notify_all();
}

void SourceArrival::ended(qint64 count)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_arrived.store(count, std::memory_order_release);
        m_ended = true;
    }
    m_changed.notify_all();
}

qint64 SourceArrival::waitFor(qint64 count) const
{
    const qint64 now = m_arrived.load(std::memory_order_acquire);
    if (now >= count)
        return now;  // the parser's usual case: no lock
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] { return m_ended || m_arrived.load(std::memory_order_relaxed) >= count; });
    return m_arrived.load(std::memory_order_relaxed);
}

} // namespace portolan
