package io.ledgerflow.sinks.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads an ISO 20022 bank-to-customer statement (camt.053, any version: elements are matched by
 * local name) into statement lines: one line per booked entry ({@code Stmt/Ntry}), numbered from 1
 * in document order (the line number of {@link StatementLine}). Per entry: {@code Amt} and its
 * {@code Ccy}, {@code CdtDbtInd} (CRDT or DBIT), the value date ({@code ValDt/Dt}, else the booking
 * date {@code BookgDt/Dt}), the reference (the first {@code EndToEndId} other than {@code
 * NOTPROVIDED}, else {@code AcctSvcrRef}, else empty) and the description ({@code AddtlNtryInf},
 * else the remittance information {@code Ustrd}). Entries with a status other than booked ({@code
 * Sts} PDNG, INFO) are not lines. XML external entities are refused.
 */
public final class StatementCamt053 {

    private StatementCamt053() {}

    public static List<StatementLine> parse(InputStream in) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalArgumentException(
                    "not a readable camt.053 document: " + e.getMessage());
        }
        List<StatementLine> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        NodeList entries = doc.getElementsByTagNameNS("*", "Ntry");
        int number = 0;
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            String status = text(child(child(e, "Sts"), "Cd"));
            if (status == null) {
                status = text(child(e, "Sts"));
            }
            if (status != null && !status.strip().equals("BOOK")) {
                continue;
            }
            number++;
            try {
                Element amt = child(e, "Amt");
                if (amt == null) {
                    throw new IllegalArgumentException("no Amt");
                }
                Currency c = Currency.getInstance(amt.getAttribute("Ccy").strip());
                BigDecimal major = new BigDecimal(amt.getTextContent().strip());
                int digits = Math.max(0, c.getDefaultFractionDigits());
                if (major.signum() <= 0 || major.stripTrailingZeros().scale() > digits) {
                    throw new IllegalArgumentException(
                            "amount "
                                    + major.toPlainString()
                                    + " is not a positive "
                                    + c
                                    + " amount");
                }
                String indicator = text(child(e, "CdtDbtInd"));
                StatementLine.Direction d =
                        switch (indicator == null ? "" : indicator.strip()) {
                            case "CRDT" -> StatementLine.Direction.CREDIT;
                            case "DBIT" -> StatementLine.Direction.DEBIT;
                            default ->
                                    throw new IllegalArgumentException(
                                            "CdtDbtInd " + indicator + " is neither CRDT nor DBIT");
                        };
                String date = text(child(child(e, "ValDt"), "Dt"));
                if (date == null) {
                    date = text(child(child(e, "BookgDt"), "Dt"));
                }
                if (date == null) {
                    throw new IllegalArgumentException("no ValDt or BookgDt");
                }
                lines.add(
                        new StatementLine(
                                number,
                                LocalDate.parse(date.strip().substring(0, 10)),
                                d,
                                major.movePointRight(digits).longValueExact(),
                                c.getCurrencyCode(),
                                reference(e),
                                description(e)));
            } catch (RuntimeException bad) {
                problems.add("entry " + number + ": " + bad.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return lines;
    }

    private static String reference(Element entry) {
        NodeList ids = entry.getElementsByTagNameNS("*", "EndToEndId");
        for (int i = 0; i < ids.getLength(); i++) {
            String id = ids.item(i).getTextContent().strip();
            if (!id.isEmpty() && !id.equals("NOTPROVIDED")) {
                return id;
            }
        }
        String ref = text(child(entry, "AcctSvcrRef"));
        return ref == null ? "" : ref.strip();
    }

    private static String description(Element entry) {
        String info = text(child(entry, "AddtlNtryInf"));
        if (info != null) {
            return info.strip();
        }
        NodeList u = entry.getElementsByTagNameNS("*", "Ustrd");
        return u.getLength() > 0 ? u.item(0).getTextContent().strip() : "";
    }

    /** The first child element named {@code name} (any namespace), or null. */
    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && name.equals(el.getLocalName())) {
                return el;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent();
    }
}
