package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepalivedParserTests {

    private static List<ConfNode> parse(String file) {
        return KeepalivedParser.parse(file, KeepalivedFiles.all());
    }

    @Test
    void seedParsesIntoItsThreeBlocksWithLines() {
        List<ConfNode> top = parse("seed-master.conf");
        assertThat(top).extracting(ConfNode::name).containsExactly("global_defs", "vrrp_instance", "virtual_server");
        ConfNode vs = top.get(2);
        assertThat(vs.where()).isEqualTo("seed-master.conf:33");
        assertThat(vs.args()).extracting(Token::text).containsExactly("172.18.42.42", "80");
        assertThat(vs.all("real_server")).hasSize(2);
        ConfNode url = vs.all("real_server").get(1).all("HTTP_GET").get(0).all("url").get(0);
        assertThat(url.all("status_code").get(0).arg(0)).contains("200");
        assertThat(url.all("status_code").get(0).line()).isEqualTo(56);
        ConfNode email = top.get(0).all("notification_email").get(0);
        assertThat(email.children()).extracting(ConfNode::name).containsExactly("root@localhost");
    }

    @Test
    void commentsQuotesBracesAgainstWordsAndBlockOpenedOnTheNextLine() {
        List<ConfNode> top = parse("syntax.conf");
        assertThat(top).extracting(ConfNode::name).containsExactly("global_defs", "vrrp_instance");
        ConfNode routerId = top.get(0).all("router_id").get(0);
        assertThat(routerId.args()).extracting(Token::text).containsExactly("my router");
        assertThat(routerId.args().get(0).quoted()).isTrue();
        // a list block on one line: one statement whose keyword is the first item (keepalived reads every word)
        ConfNode mail = top.get(0).all("notification_email").get(0).children().get(0);
        assertThat(mail.name()).isEqualTo("a@b");
        assertThat(mail.args()).extracting(Token::text).containsExactly("c@d");
        ConfNode vi = top.get(1);
        assertThat(vi.arg(0)).contains("vi_1");
        assertThat(vi.isBlock()).isTrue();
        assertThat(vi.all("auth_pass").get(0).arg(0)).contains("ab#c!d");
        List<ConfNode> vips = vi.all("virtual_ipaddress").get(0).children();
        assertThat(vips).extracting(ConfNode::name).containsExactly("172.18.42.42/32", "2001:db8::42/64");
        assertThat(vips.get(0).args()).extracting(Token::text).containsExactly("dev", "eth0", "label", "eth0:1");
        assertThat(vips.get(1).where()).isEqualTo("syntax.conf:12");
    }

    @Test
    void includesByGlobAndRelativePathKeepTheirOwnFileAndLine() {
        List<ConfNode> top = parse("include-main.conf");
        assertThat(top).extracting(ConfNode::where).containsExactly("include-main.conf:2", "conf.d/10-vs.conf:1",
                "conf.d/20-vs6.conf:1", "include-vrrp.conf:1");
        assertThat(top.get(2).arg(0)).contains("2001:db8::1");
        assertThat(top.get(3).all("state").get(0).arg(0)).contains("BACKUP");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "unclosed.conf        | unclosed.conf        | 2 | expected '}' to close the block opened at unclosed.conf:1",
            "extra-close.conf     | extra-close.conf     | 3 | unexpected '}'",
            "open-quote.conf      | open-quote.conf      | 2 | expected a closing '\"'",
            "include-missing.conf | include-missing.conf | 1 | expected an uploaded file matching include 'conf.d/nothing-*.conf'",
            "include-cycle.conf   | include-cycle.conf   | 1 | include cycle"})
    void errorsNameFileLineAndWhatWasExpected(String main, String file, int line, String detail) {
        assertThatThrownBy(() -> parse(main)).isInstanceOfSatisfying(ConfParseException.class, e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.detail()).contains(detail);
        });
    }

    @Test
    void aKeywordBeforeNothingButABraceIsAnError() {
        assertThatThrownBy(() -> KeepalivedParser.parse("x.conf", "global_defs {\n}\n{\n}\n"))
                .isInstanceOf(ConfParseException.class).hasMessageContaining("x.conf:3");
    }

    @ParameterizedTest
    @CsvSource({"a/b/../c.conf, a/c.conf", "./x.conf, x.conf", "/etc/keepalived/./k.conf, /etc/keepalived/k.conf"})
    void normalizesPaths(String in, String out) {
        assertThat(KeepalivedParser.normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"conf.d/*.conf, conf.d/a.conf, true", "conf.d/*.conf, conf.d/x/a.conf, false", "vs?.conf, vs1.conf, true",
            "vs[12].conf, vs3.conf, false", "vs[!1].conf, vs2.conf, true"})
    void globs(String glob, String name, boolean matches) {
        assertThat(KeepalivedParser.glob(glob).matcher(name).matches()).isEqualTo(matches);
    }

    @Test
    void includeOfAFileThatIsNotUploadedNamesTheIncludingLine() {
        assertThatThrownBy(() -> KeepalivedParser.parse("m.conf", Map.of("m.conf", "\n\ninclude other.conf\n")))
                .isInstanceOfSatisfying(ConfParseException.class, e -> assertThat(e.where()).isEqualTo("m.conf:3"));
    }
}
