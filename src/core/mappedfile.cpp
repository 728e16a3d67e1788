#include "mappedfile.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#if defined(Q_OS_UNIX)
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace portolan {

#if defined(Q_OS_UNIX)
namespace {

// The files mapped now, for the SIGBUS handler, which can take no lock and
// allocate nothing: a fixed table, each entry published by its `begin`.
struct Slot {
    std::atomic<bool> taken{false};
    std::atomic<const char *> begin{nullptr};
    std::atomic<std::size_t> size{0};
    char path[1024] = {};  // the file's path, cut to fit
};
constexpr int kSlots = 32;  // a load with more files mapped at once reads the rest
Slot g_slots[kSlots];
struct sigaction g_previousAction;  // for bus errors not in a mapped source

void writeText(const char *text)
{
    const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
}

void onBusError(int, siginfo_t *info, void *)
{
    const char *address = static_cast<const char *>(info->si_addr);
    for (const Slot &slot : g_slots) {
        const char *begin = slot.begin.load(std::memory_order_acquire);
        if (begin && address >= begin && address < begin + slot.size.load(std::memory_order_relaxed)) {
            writeText(slot.path);
            writeText(": error: the file was shortened while it was being read\n");
            ::_exit(1);
        }
    }
    // Not a mapped source's: what was there before takes it, when the access is retried.
    sigaction(SIGBUS, &g_previousAction, nullptr);
}

void installHandler()
{
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action = {};
        action.sa_sigaction = onBusError;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGBUS, &action, &g_previousAction);
    });
}

int takeSlot(const QString &path)
{
    for (int i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (g_slots[i].taken.compare_exchange_strong(expected, true)) {
            const QByteArray local = QFile::encodeName(path);
            const std::size_t length = std::min(std::size_t(local.size()), sizeof(g_slots[i].path) - 1);
            std::memcpy(g_slots[i].path, local.constData(), length);
            g_slots[i].path[length] = '\0';
            return i;
        }
    }
    return -1;
}

} // namespace

qint64 readAt(int fd, char *to, qint64 offset, qint64 count, int *failure)
{
    qint64 done = 0;
    while (done < count) {
        const ssize_t n = ::pread(fd, to + done, std::size_t(count - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *failure = errno;
            return -1;
        }
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

std::shared_ptr<MappedFile> MappedFile::map(int fd, qint64 size, const QString &path)
{
    if (size <= 0)
        return nullptr;
    const int slot = takeSlot(path);
    if (slot < 0)
        return nullptr;
    void *data = ::mmap(nullptr, std::size_t(size), PROT_READ, MAP_PRIVATE, fd, 0);
    const int own = data == MAP_FAILED ? -1 : ::fcntl(fd, F_DUPFD_CLOEXEC, 0);  // for read(), once the caller's is closed
    if (own < 0) {
        if (data != MAP_FAILED)
            ::munmap(data, std::size_t(size));
        g_slots[slot].taken.store(false);
        return nullptr;
    }
    installHandler();
    g_slots[slot].size.store(std::size_t(size), std::memory_order_relaxed);
    g_slots[slot].begin.store(static_cast<const char *>(data), std::memory_order_release);
    return std::shared_ptr<MappedFile>(new MappedFile(static_cast<char *>(data), size, slot, own));
}

MappedFile::~MappedFile()
{
    g_slots[m_slot].begin.store(nullptr, std::memory_order_release);
    ::munmap(m_data, std::size_t(m_size));
    g_slots[m_slot].taken.store(false);
    ::close(m_fd);
}

bool MappedFile::populate(qint64 from, qint64 to) const
{
#ifdef MADV_POPULATE_READ
    const std::uintptr_t page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const std::uintptr_t begin = std::uintptr_t(m_data + from) & ~(page - 1);
    const std::uintptr_t end = std::uintptr_t(m_data + to);
    // EFAULT: a page past the file's end now. Any other failure (an older
    // kernel without it) leaves the pages to fault in as they are touched.
    return end <= begin || madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_READ) == 0 || errno != EFAULT;
#else
    Q_UNUSED(from);
    Q_UNUSED(to);
    return true;
#endif
}

qint64 MappedFile::read(qint64 from, qint64 count, char *to) const
{
    int failure = 0;
    return std::max<qint64>(0, readAt(m_fd, to, from, count, &failure));
}

void MappedFile::release(qint64 from, qint64 to) const
{
    // Whole pages only: a page partly outside holds bytes still to be read.
    const qint64 page = sysconf(_SC_PAGESIZE);
    const qint64 begin = (std::max<qint64>(0, from) + page - 1) / page * page;
    const qint64 end = to >= m_size ? m_size : to / page * page;
    if (end > begin)
        madvise(m_data + begin, std::size_t(end - begin), MADV_DONTNEED);
}

#else

std::shared_ptr<MappedFile> MappedFile::map(int, qint64, const QString &)
{
    return nullptr;
}

MappedFile::~MappedFile() = default;

bool MappedFile::populate(qint64, qint64) const
{
    return true;
}

void MappedFile::release(qint64, qint64) const {}

qint64 MappedFile::read(qint64, qint64, char *) const
{
    return 0;
}

#endif

} // namespace portolan
