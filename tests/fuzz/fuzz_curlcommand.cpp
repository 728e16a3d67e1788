// libFuzzer target for the curl-command importer: the text a user pastes from
// the clipboard goes through shell-word splitting and option parsing into a
// request. Any crash, sanitizer report, hang or runaway allocation is a bug.
//
// @file arguments are resolved against an empty temporary folder, so the
// fuzzer exercises the "cannot read" paths without touching real files.
#include "curlcommand.h"

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const QTemporaryDir emptyFolder;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const portolan::http::CurlImport imported = portolan::http::importCurl(text, emptyFolder.path());
    if (imported.ok()) {
        // What the import produced is shown and may be exported back to curl.
        (void)portolan::http::toCurl(imported.request);
    }
    return 0;
}
