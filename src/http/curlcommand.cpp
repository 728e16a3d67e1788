#include "curlcommand.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace portolan::http {

namespace {

bool isUtf8Text(const QByteArray &bytes)
{
    return !bytes.contains('\0') && QString::fromUtf8(bytes).toUtf8() == bytes;
}

// printf '%b' argument reproducing `bytes` exactly: printable ASCII as is,
// everything else as \0ooo octal, which POSIX printf %b understands.
QString printfEscaped(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7F && c != '\\' && c != '\'')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\0%1").arg(uint(b), 3, 8, QLatin1Char('0'));
    }
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString command(const QByteArray &method, const QUrl &url, const HeaderList &headers, const RequestBodyData &body,
                bool skipWireOnly)
{
    QStringList words{QStringLiteral("curl")};
    QString stdinFeed;
    const bool hasBody = !body.isEmpty();
    if (!(method == "GET" && !hasBody) && !(method == "POST" && hasBody)) {
        words << (method == "HEAD" ? QStringLiteral("--head") : QStringLiteral("-X ") + shellQuote(QString::fromLatin1(method)));
    }
    for (const HeaderField &h : headers) {
        const QByteArray lower = h.name.toLower();
        if (skipWireOnly && (lower == "content-length" || (lower == "host" && h.value == url.authority().toUtf8())))
            continue;
        if (lower == "accept-encoding")
            words << QStringLiteral("--compressed");
        words << QStringLiteral("-H ") + shellQuote(QString::fromLatin1(h.name) + QStringLiteral(": ") + QString::fromUtf8(h.value));
    }
    if (hasBody) {
        if (body.isInMemory() && isUtf8Text(body.inMemoryBytes())) {
            words << QStringLiteral("--data-raw ") + shellQuote(QString::fromUtf8(body.inMemoryBytes()));
        } else if (body.segments.size() == 1 && body.segments.first().isFile()) {
            words << QStringLiteral("--data-binary ") + shellQuote(QLatin1Char('@') + body.segments.first().filePath);
        } else {
            QStringList parts;
            for (const BodySegment &s : body.segments)
                parts << (s.isFile() ? QStringLiteral("cat ") + shellQuote(s.filePath) : QStringLiteral("printf '%b' ") + printfEscaped(s.bytes));
            stdinFeed = parts.size() == 1 ? parts.first() : QStringLiteral("{ ") + parts.join(QStringLiteral("; ")) + QStringLiteral("; }");
            words << QStringLiteral("--data-binary @-");
        }
    }
    words << shellQuote(QString::fromUtf8(url.toEncoded()));
    const QString line = words.join(QLatin1Char(' '));
    return stdinFeed.isEmpty() ? line : stdinFeed + QStringLiteral(" | ") + line;
}

QString takeValue(const QStringList &words, qsizetype &i, const QString &option, QString *error)
{
    if (i + 1 >= words.size()) {
        *error = QStringLiteral("option %1 (word %2) needs a value").arg(option).arg(i + 1);
        return {};
    }
    return words[++i];
}

} // namespace

QString shellQuote(const QString &word)
{
    static const QString safe = QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,");
    if (!word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) { return safe.contains(c); }))
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString toCurl(const HttpRequest &request)
{
    return command(request.method, request.url, request.headers, request.body, false);
}

QString toCurl(const SentRequest &request)
{
    return command(request.method, request.url, request.headers, request.body, true);
}

QStringList splitShellWords(const QString &line, QString *error)
{
    QStringList words;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == QLatin1Char('\\')) {
            if (i + 1 < line.size() && line[i + 1] == QLatin1Char('\n')) {
                ++i;  // line continuation
                continue;
            }
            if (i + 1 < line.size()) {
                word += line[++i];
                inWord = true;
            }
            continue;
        }
        if (c == QLatin1Char('\'')) {
            const qsizetype end = line.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0) {
                *error = QStringLiteral("unterminated ' quote at character %1").arg(i + 1);
                return {};
            }
            word += line.mid(i + 1, end - i - 1);
            inWord = true;
            i = end;
            continue;
        }
        if (c == QLatin1Char('$') && i + 1 < line.size() && line[i + 1] == QLatin1Char('\'')) {
            // $'…' with C escapes (bash, zsh; what browsers' "copy as cURL" emits).
            qsizetype j = i + 2;
            QByteArray bytes;
            for (; j < line.size() && line[j] != QLatin1Char('\''); ++j) {
                if (line[j] != QLatin1Char('\\') || j + 1 >= line.size()) {
                    bytes += QString(line[j]).toUtf8();
                    continue;
                }
                const QChar e = line[++j];
                switch (e.unicode()) {
                case 'n': bytes += '\n'; break;
                case 'r': bytes += '\r'; break;
                case 't': bytes += '\t'; break;
                case '0': bytes += '\0'; break;
                case 'x': {
                    bytes += char(line.mid(j + 1, 2).toInt(nullptr, 16));
                    j += 2;
                    break;
                }
                case 'u': {
                    bytes += QString(QChar(line.mid(j + 1, 4).toUShort(nullptr, 16))).toUtf8();
                    j += 4;
                    break;
                }
                default: bytes += QString(e).toUtf8(); break;
                }
            }
            if (j >= line.size()) {
                *error = QStringLiteral("unterminated $' quote at character %1").arg(i + 1);
                return {};
            }
            word += QString::fromUtf8(bytes);
            inWord = true;
            i = j;
            continue;
        }
        if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            for (; j < line.size() && line[j] != QLatin1Char('"'); ++j) {
                if (line[j] == QLatin1Char('\\') && j + 1 < line.size()
                    && QStringLiteral("\"\\$`\n").contains(line[j + 1])) {
                    if (line[j + 1] != QLatin1Char('\n'))
                        word += line[j + 1];
                    ++j;
                } else {
                    word += line[j];
                }
            }
            if (j >= line.size()) {
                *error = QStringLiteral("unterminated \" quote at character %1").arg(i + 1);
                return {};
            }
            inWord = true;
            i = j;
            continue;
        }
        if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
            continue;
        }
        word += c;
        inWord = true;
    }
    if (inWord)
        words << word;
    return words;
}

CurlImport importCurl(const QString &commandLine, const QString &baseDirectory)
{
    CurlImport result;
    QStringList words = splitShellWords(commandLine, &result.error);
    if (!result.ok())
        return result;
    if (!words.isEmpty() && (words.first() == QLatin1String("curl") || words.first().endsWith(QLatin1String("/curl"))))
        words.removeFirst();
    const QDir base(baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory);
    auto readFile = [&](const QString &name, QByteArray *out) {
        // Pasted text may name anything: `@/dev/zero`, a FIFO or `@/dev/stdin` would
        // never end, a huge file would fill memory. Read only regular files, up to a bound.
        constexpr qint64 kMaxInlineFileBytes = 64 * 1024 * 1024;
        const QFileInfo info(base.absoluteFilePath(name));
        if (info.exists() && !info.isFile()) {
            result.error = QStringLiteral("cannot read '%1': not a regular file").arg(name);
            return false;
        }
        if (info.size() > kMaxInlineFileBytes) {
            result.error = QStringLiteral("cannot read '%1': larger than 64 MB (--data-binary @file streams it)").arg(name);
            return false;
        }
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = QStringLiteral("cannot read '%1': %2").arg(name, file.errorString());
            return false;
        }
        *out = file.readAll();
        return true;
    };

    HttpRequest &request = result.request;
    QString method, url;
    QList<QByteArray> data;
    QList<FormPart> form;
    QByteArray binaryFile;  // --data-binary @file streams the file
    bool get = false, head = false, json = false;

    for (qsizetype i = 0; i < words.size() && result.ok(); ++i) {
        QString option = words[i];
        QString inlineValue;
        bool hasInline = false;
        if (option.startsWith(QLatin1String("--")) && option.contains(QLatin1Char('='))) {
            inlineValue = option.section(QLatin1Char('='), 1);
            option = option.section(QLatin1Char('='), 0, 0);
            hasInline = true;
        } else if (option.size() > 2 && option.startsWith(QLatin1Char('-')) && !option.startsWith(QLatin1String("--"))
                   && QStringLiteral("XHdbuFAeom").contains(option[1])) {
            inlineValue = option.mid(2);  // -XPOST, -HName:\ value
            option = option.left(2);
            hasInline = true;
        }
        auto value = [&]() { return hasInline ? inlineValue : takeValue(words, i, option, &result.error); };

        if (option == QLatin1String("-X") || option == QLatin1String("--request")) {
            method = value();
        } else if (option == QLatin1String("-H") || option == QLatin1String("--header")) {
            const QString header = value();
            if (!result.ok())
                break;
            const qsizetype colon = header.indexOf(QLatin1Char(':'));
            if (colon <= 0) {
                result.error = QStringLiteral("header '%1' has no name: value form").arg(header);
                break;
            }
            const QByteArray headerValue = header.mid(colon + 1).trimmed().toUtf8();
            if (!headerValue.isEmpty())
                request.headers.append({header.left(colon).trimmed().toUtf8(), headerValue});
        } else if (option == QLatin1String("-d") || option == QLatin1String("--data") || option == QLatin1String("--data-ascii")
                   || option == QLatin1String("--data-raw") || option == QLatin1String("--data-binary")
                   || option == QLatin1String("--json") || option == QLatin1String("--data-urlencode")) {
            QString v = value();
            QByteArray bytes;
            if (option == QLatin1String("--data-urlencode")) {
                // As curl: the part after the first '=' is encoded, spaces as '+'.
                const qsizetype eq = v.indexOf(QLatin1Char('='));
                auto encode = [](const QString &text) { return QUrl::toPercentEncoding(text, " ").replace(' ', '+'); };
                bytes = eq < 0 ? encode(v) : v.left(eq).toUtf8() + '=' + encode(v.mid(eq + 1));
            } else if (option != QLatin1String("--data-raw") && v.startsWith(QLatin1Char('@'))) {
                if (option == QLatin1String("--data-binary") && data.isEmpty()) {
                    binaryFile = base.absoluteFilePath(v.mid(1)).toUtf8();
                    continue;
                }
                if (!readFile(v.mid(1), &bytes))
                    break;
                if (option != QLatin1String("--data-binary") && option != QLatin1String("--json"))
                    bytes.replace("\r", "").replace("\n", "");  // curl -d strips line breaks from files
            } else {
                bytes = v.toUtf8();
            }
            json = json || option == QLatin1String("--json");
            data.append(bytes);
        } else if (option == QLatin1String("-F") || option == QLatin1String("--form")) {
            const QString v = value();
            if (!result.ok())
                break;
            const qsizetype eq = v.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                result.error = QStringLiteral("form field '%1' has no name=value form").arg(v);
                break;
            }
            FormPart part;
            part.name = v.left(eq);
            QStringList pieces = v.mid(eq + 1).split(QLatin1Char(';'));
            QString content = pieces.takeFirst();
            for (const QString &piece : pieces) {
                if (piece.startsWith(QLatin1String("type=")))
                    part.contentType = piece.mid(5).toUtf8();
                else if (piece.startsWith(QLatin1String("filename=")))
                    part.fileName = piece.mid(9);
            }
            if (content.startsWith(QLatin1Char('@'))) {
                part.filePath = base.absoluteFilePath(content.mid(1));
                if (!QFileInfo(part.filePath).isReadable()) {
                    result.error = QStringLiteral("form file '%1' cannot be read").arg(content.mid(1));
                    break;
                }
                if (part.contentType.isEmpty())
                    part.contentType = "application/octet-stream";
            } else if (content.startsWith(QLatin1Char('<'))) {
                if (!readFile(content.mid(1), &part.value))
                    break;
            } else {
                part.value = content.toUtf8();
            }
            form.append(part);
        } else if (option == QLatin1String("-u") || option == QLatin1String("--user")) {
            request.headers.append(HeaderField{"Authorization", "Basic " + value().toUtf8().toBase64()});
        } else if (option == QLatin1String("-b") || option == QLatin1String("--cookie")) {
            const QString v = value();
            if (!v.contains(QLatin1Char('=')))
                result.warnings << QStringLiteral("-b %1: cookie files are not read; give cookies as name=value").arg(v);
            else
                request.headers.append(HeaderField{"Cookie", v.toUtf8()});
        } else if (option == QLatin1String("-A") || option == QLatin1String("--user-agent")) {
            request.headers.append(HeaderField{"User-Agent", value().toUtf8()});
        } else if (option == QLatin1String("-e") || option == QLatin1String("--referer")) {
            request.headers.append(HeaderField{"Referer", value().toUtf8()});
        } else if (option == QLatin1String("--url")) {
            url = value();
        } else if (option == QLatin1String("-k") || option == QLatin1String("--insecure")) {
            result.insecure = true;
        } else if (option == QLatin1String("-L") || option == QLatin1String("--location")) {
            result.followRedirects = true;
        } else if (option == QLatin1String("--max-redirs")) {
            result.maxRedirects = value().toInt();
        } else if (option == QLatin1String("-m") || option == QLatin1String("--max-time")) {
            result.timeoutMs = int(value().toDouble() * 1000);
        } else if (option == QLatin1String("--compressed")) {
            if (!hasHeader(request.headers, "Accept-Encoding"))
                request.headers.append(HeaderField{"Accept-Encoding", "gzip, deflate"});
        } else if (option == QLatin1String("-G") || option == QLatin1String("--get")) {
            get = true;
        } else if (option == QLatin1String("-I") || option == QLatin1String("--head")) {
            head = true;
        } else if (option == QLatin1String("-s") || option == QLatin1String("--silent") || option == QLatin1String("-S")
                   || option == QLatin1String("-v") || option == QLatin1String("--verbose") || option == QLatin1String("-i")
                   || option == QLatin1String("--include") || option == QLatin1String("-sS") || option == QLatin1String("-f")
                   || option == QLatin1String("--fail")) {
            continue;  // output options: Portolan shows everything anyway
        } else if (option == QLatin1String("-o") || option == QLatin1String("--output")) {
            result.warnings << QStringLiteral("%1 %2: ignored; save the response from the response pane").arg(option, value());
        } else if (option.startsWith(QLatin1Char('-')) && option.size() > 1) {
            result.warnings << QStringLiteral("option %1 is not supported and was ignored").arg(option);
        } else if (url.isEmpty()) {
            url = option;
        } else {
            result.warnings << QStringLiteral("extra argument '%1' ignored").arg(option);
        }
    }
    if (!result.ok())
        return result;
    if (url.isEmpty()) {
        result.error = QStringLiteral("the command has no URL");
        return result;
    }
    if (!url.contains(QLatin1String("://")))
        url.prepend(QStringLiteral("http://"));  // as curl does
    request.url = QUrl(url);
    if (!request.url.isValid()) {
        result.error = QStringLiteral("'%1' is not a valid URL: %2").arg(url, request.url.errorString());
        return result;
    }

    QByteArray joined;
    for (const QByteArray &d : data)
        joined += (joined.isEmpty() ? "" : "&") + d;
    if (get && !joined.isEmpty()) {
        const QString query = request.url.query(QUrl::FullyEncoded);
        request.url.setQuery(query.isEmpty() ? QString::fromUtf8(joined) : query + QLatin1Char('&') + QString::fromUtf8(joined));
        data.clear();
    } else if (!binaryFile.isEmpty()) {
        request.body = RequestBodyData::fromFile(QString::fromUtf8(binaryFile));
    } else if (!data.isEmpty()) {
        request.body = RequestBodyData::fromBytes(joined);
    } else if (!form.isEmpty()) {
        QByteArray contentType;
        request.body = multipartFormData(form, &contentType);
        setHeader(request.headers, "Content-Type", contentType);
    }
    if (json) {
        if (!hasHeader(request.headers, "Content-Type"))
            request.headers.append(HeaderField{"Content-Type", "application/json"});
        if (!hasHeader(request.headers, "Accept"))
            request.headers.append(HeaderField{"Accept", "application/json"});
    } else if (!request.body.isEmpty() && form.isEmpty() && !hasHeader(request.headers, "Content-Type")) {
        request.headers.append(HeaderField{"Content-Type", "application/x-www-form-urlencoded"});  // curl's default for -d
    }
    if (!method.isEmpty())
        request.method = method.toUpper().toUtf8();
    else if (head)
        request.method = "HEAD";
    else if (!request.body.isEmpty() && !get)
        request.method = "POST";
    else
        request.method = "GET";
    return result;
}

} // namespace portolan::http
