#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace portolan {

#if defined(Q_OS_UNIX)
// Reads `count` bytes at `offset` of the file `fd` into `to`, fewer where the
// file ends first (it may have shrunk since its size was read): the count,
// or -1 with `failure` set to the error.
qint64 readAt(int fd, char *to, qint64 offset, qint64 count, int *failure);
#endif

// A file's bytes mapped read-only into memory rather than copied, for a
// short-lived process that reads a large file once (LoadOptions::mapFiles).
// The pages are the page cache's own: copying into fresh memory faulted in
// every page of it, which on virtual machines cost as much as the parse.
//
// A process that maps a file would die of SIGBUS at its next touch of a page
// that another process cut off the file meanwhile. The first mapping
// installs a handler for that signal which names the file on stderr and
// exits with status 1. That suits a command-line run of a moment, not an
// application that keeps a document for hours: it should copy.
class MappedFile {
public:
    // Null when the file cannot be mapped; the caller then reads it.
    static std::shared_ptr<MappedFile> map(int fd, qint64 size, const QString &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    // The bytes, not owned: copies of it are valid as long as this object.
    QByteArray bytes() const { return QByteArray::fromRawData(m_data, m_size); }
    // Faults the pages of [from, to) in at once, which costs less than a
    // fault per touch; false when the file no longer reaches `to`.
    bool populate(qint64 from, qint64 to) const;
    // Lets the pages within [from, to) go from this process: they stay in
    // the page cache, and a later touch faults them in again. The mapping
    // is private and never written, so nothing is lost.
    void release(qint64 from, qint64 to) const;
    // Reads `count` bytes at `from` from the file, not through the mapping,
    // into `to`: how many it read, fewer where the file is shorter now, none
    // when reading fails.
    // For the few reads after a parse that let the pages go (a diagnostic's
    // position): a touch of the mapping faults in 64 KiB around it, which
    // for GitHub's 184 diagnostics was 4 MB, and letting those go again
    // interrupted every core the process ran on (14 ms of 145).
    qint64 read(qint64 from, qint64 count, char *to) const;

private:
    MappedFile(char *data, qint64 size, int slot, int fd) : m_data(data), m_size(size), m_slot(slot), m_fd(fd) {}

    char *m_data;
    qint64 m_size;
    int m_slot;  // in the table the SIGBUS handler reads
    int m_fd;    // the file's, duplicated for read()
};

} // namespace portolan
