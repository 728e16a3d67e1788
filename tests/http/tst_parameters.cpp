// Parameter serialization against the tables of the OpenAPI specification
// (3.x "Style Examples") and Swagger 2.0 collectionFormat.
#include "parameterserializer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace portolan;
using namespace portolan::http;

namespace {
const QJsonValue kEmpty = QString();
const QJsonValue kString = QStringLiteral("blue");
const QJsonValue kArray = QJsonArray{QStringLiteral("blue"), QStringLiteral("black"), QStringLiteral("brown")};
// QJsonObject orders keys alphabetically: B, G, R.
const QJsonValue kObject = QJsonObject{{QStringLiteral("R"), 100}, {QStringLiteral("G"), 200}, {QStringLiteral("B"), 150}};

SerializationRule rule(ParameterLocation in, const char *style, bool explode, bool allowReserved = false)
{
    SerializationRule r;
    r.in = in;
    r.style = QString::fromLatin1(style);
    r.explode = explode;
    r.allowReserved = allowReserved;
    return r;
}
QByteArray query(const QJsonValue &v, const SerializationRule &r)
{
    QByteArray out;
    for (const QByteArray &p : serializeQueryParameter(QStringLiteral("color"), v, r))
        out += (out.isEmpty() ? "" : "&") + p;
    return out;
}
} // namespace

class TestParameters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void percentEncodingFollowsRfc3986()
    {
        QCOMPARE(percentEncode(QStringLiteral("a b/c?d=é~._-")), QByteArray("a%20b%2Fc%3Fd%3D%C3%A9~._-"));
        QCOMPARE(percentEncode(QStringLiteral("a/b:c"), kReservedCharacters), QByteArray("a/b:c"));
    }

    void pathStyles_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<bool>("explode");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("simple string") << "simple" << false << kString << QByteArray("blue");
        QTest::newRow("simple array") << "simple" << false << kArray << QByteArray("blue,black,brown");
        QTest::newRow("simple object") << "simple" << false << kObject << QByteArray("B,150,G,200,R,100");
        QTest::newRow("simple* object") << "simple" << true << kObject << QByteArray("B=150,G=200,R=100");
        QTest::newRow("label empty") << "label" << false << kEmpty << QByteArray(".");
        QTest::newRow("label string") << "label" << false << kString << QByteArray(".blue");
        QTest::newRow("label array") << "label" << false << kArray << QByteArray(".blue,black,brown");
        QTest::newRow("label* array") << "label" << true << kArray << QByteArray(".blue.black.brown");
        QTest::newRow("label object") << "label" << false << kObject << QByteArray(".B,150,G,200,R,100");
        QTest::newRow("label* object") << "label" << true << kObject << QByteArray(".B=150.G=200.R=100");
        QTest::newRow("matrix empty") << "matrix" << false << kEmpty << QByteArray(";color");
        QTest::newRow("matrix string") << "matrix" << false << kString << QByteArray(";color=blue");
        QTest::newRow("matrix array") << "matrix" << false << kArray << QByteArray(";color=blue,black,brown");
        QTest::newRow("matrix* array") << "matrix" << true << kArray << QByteArray(";color=blue;color=black;color=brown");
        QTest::newRow("matrix object") << "matrix" << false << kObject << QByteArray(";color=B,150,G,200,R,100");
        QTest::newRow("matrix* object") << "matrix" << true << kObject << QByteArray(";B=150;G=200;R=100");
        QTest::newRow("reserved encoded") << "simple" << false << QJsonValue(QStringLiteral("a/b c")) << QByteArray("a%2Fb%20c");
    }
    void pathStyles()
    {
        QFETCH(QString, style);
        QFETCH(bool, explode);
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, expected);
        QCOMPARE(serializePathParameter(QStringLiteral("color"), value,
                                        rule(ParameterLocation::Path, style.toLatin1().constData(), explode)),
                 expected);
    }

    void queryStyles_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<bool>("explode");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("form empty") << "form" << false << kEmpty << QByteArray("color=");
        QTest::newRow("form string") << "form" << true << kString << QByteArray("color=blue");
        QTest::newRow("form array") << "form" << false << kArray << QByteArray("color=blue,black,brown");
        QTest::newRow("form* array") << "form" << true << kArray << QByteArray("color=blue&color=black&color=brown");
        QTest::newRow("form object") << "form" << false << kObject << QByteArray("color=B,150,G,200,R,100");
        QTest::newRow("form* object") << "form" << true << kObject << QByteArray("B=150&G=200&R=100");
        QTest::newRow("spaceDelimited array") << "spaceDelimited" << false << kArray << QByteArray("color=blue%20black%20brown");
        QTest::newRow("spaceDelimited object") << "spaceDelimited" << false << kObject << QByteArray("color=B%20150%20G%20200%20R%20100");
        QTest::newRow("pipeDelimited array") << "pipeDelimited" << false << kArray << QByteArray("color=blue%7Cblack%7Cbrown");
        QTest::newRow("pipeDelimited* array") << "pipeDelimited" << true << kArray << QByteArray("color=blue&color=black&color=brown");
        QTest::newRow("deepObject") << "deepObject" << true << kObject << QByteArray("color%5BB%5D=150&color%5BG%5D=200&color%5BR%5D=100");
        QTest::newRow("deepObject nested") << "deepObject" << true
                                           << QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonObject{{QStringLiteral("b"), 1}}},
                                                                     {QStringLiteral("l"), QJsonArray{QStringLiteral("x"), QStringLiteral("y")}}})
                                           << QByteArray("color%5Ba%5D%5Bb%5D=1&color%5Bl%5D%5B0%5D=x&color%5Bl%5D%5B1%5D=y");
        QTest::newRow("value with &=") << "form" << true << QJsonValue(QStringLiteral("a&b=c")) << QByteArray("color=a%26b%3Dc");
        QTest::newRow("number") << "form" << true << QJsonValue(42) << QByteArray("color=42");
        QTest::newRow("bool") << "form" << true << QJsonValue(true) << QByteArray("color=true");
    }
    void queryStyles()
    {
        QFETCH(QString, style);
        QFETCH(bool, explode);
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, expected);
        QCOMPARE(query(value, rule(ParameterLocation::Query, style.toLatin1().constData(), explode)), expected);
    }

    void allowReservedKeepsReservedButNotSeparators()
    {
        const QJsonValue value = QStringLiteral("a/b:c?d[e]&f=g");
        QCOMPARE(query(value, rule(ParameterLocation::Query, "form", true, true)), QByteArray("color=a/b:c?d[e]%26f%3Dg"));
        QCOMPARE(query(value, rule(ParameterLocation::Query, "form", true, false)),
                 QByteArray("color=a%2Fb%3Ac%3Fd%5Be%5D%26f%3Dg"));
    }

    void swaggerCollectionFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("csv") << "csv" << QByteArray("color=blue,black,brown");
        QTest::newRow("ssv") << "ssv" << QByteArray("color=blue%20black%20brown");
        QTest::newRow("tsv") << "tsv" << QByteArray("color=blue%09black%09brown");
        QTest::newRow("pipes") << "pipes" << QByteArray("color=blue%7Cblack%7Cbrown");
        QTest::newRow("multi") << "multi" << QByteArray("color=blue&color=black&color=brown");
    }
    void swaggerCollectionFormats()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, expected);
        SerializationRule r;
        r.collectionFormat = format;
        QCOMPARE(query(kArray, r), expected);
    }

    void headersAndCookies()
    {
        QCOMPARE(serializeHeaderParameter(kArray, rule(ParameterLocation::Header, "simple", false)), QByteArray("blue,black,brown"));
        QCOMPARE(serializeHeaderParameter(kObject, rule(ParameterLocation::Header, "simple", true)), QByteArray("B=150,G=200,R=100"));
        QCOMPARE(serializeCookieParameter(QStringLiteral("c"), kArray, rule(ParameterLocation::Cookie, "form", false)),
                 QList<QByteArray>{"c=blue,black,brown"});
        QCOMPARE(serializeCookieParameter(QStringLiteral("c"), QJsonValue(QStringLiteral("a b;c")), rule(ParameterLocation::Cookie, "form", true)),
                 QList<QByteArray>{"c=a%20b%3Bc"});
    }

    void defaultsFollowTheLocation()
    {
        Parameter p;
        p.in = ParameterLocation::Query;
        SerializationRule r = serializationRule(p);
        QCOMPARE(r.style, QStringLiteral("form"));
        QVERIFY(r.explode);
        p.in = ParameterLocation::Path;
        r = serializationRule(p);
        QCOMPARE(r.style, QStringLiteral("simple"));
        QVERIFY(!r.explode);
    }
};

QTEST_GUILESS_MAIN(TestParameters)
#include "tst_parameters.moc"
