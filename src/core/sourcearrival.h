#pragma once

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace portolan {

// How much of a source has arrived in its buffer while another thread reads
// it in, front to back. The JSON parser starts on the first bytes and waits
// for the rest as it goes: reading Microsoft Graph beta's 47 MB took 25 ms
// and parsing them 45, one after the other, on two cores. The other way, the
// parser tells how far it has filled its tree (see faultAhead()).
class SourceArrival {
public:
    explicit SourceArrival(qint64 expected) : m_expected(expected) {}

    // The reading side: bytes [0, count) are in the buffer.
    void arrived(qint64 count);
    // The reading side, last: no more bytes will come; `count` have.
    void ended(qint64 count);

    // Blocks until `count` bytes have arrived, or the reading has ended;
    // returns how many have (all of them may be fewer than `count`).
    qint64 waitFor(qint64 count) const;
    qint64 waitForEnd() const { return waitFor(m_expected); }
    // After waitForEnd(): whether every expected byte arrived.
    bool complete() const { return m_arrived.load(std::memory_order_acquire) == m_expected; }

    // The JSON parser's side: the node and member arrays it fills, 12-byte
    // entries with room for `room` of each, and how many it has filled so far.
    void fills(void *nodes, void *members, std::size_t room);
    void filled(std::size_t entries) { m_filled.store(entries, std::memory_order_relaxed); }
    // Whoever parses, last: the parse is over (and faultAhead() returns at once).
    void parseEnded();
    // The reading side, once it has read all: faults the next pages of the
    // arrays in ahead of the parser until the parse is over. A page fault
    // costs microseconds on virtual machines, and the parse runs alone; the
    // reading core is idle meanwhile. Never more than kFaultAhead entries
    // past the parser's, so that little is touched that the tree will not use.
    void faultAhead();

private:
    static constexpr std::size_t kFaultAhead = 16 * 1024;
    std::atomic<char *> m_nodes{nullptr};
    std::atomic<char *> m_members{nullptr};
    std::atomic<std::size_t> m_room{0};
    std::atomic<std::size_t> m_filled{0};
    std::atomic<bool> m_parseEnded{false};
    const qint64 m_expected;
    std::atomic<qint64> m_arrived{0};
    mutable std::mutex m_mutex;  // guards m_ended, and the waits
    mutable std::condition_variable m_changed;
    bool m_ended = false;
};

} // namespace portolan
