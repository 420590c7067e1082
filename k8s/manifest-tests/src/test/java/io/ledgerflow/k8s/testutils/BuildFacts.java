package io.ledgerflow.k8s.testutils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the build says, read from the poms themselves rather than from the values the manifests were
 * rendered with: a version typed into a template by hand then cannot agree with itself.
 */
public final class BuildFacts {

    private BuildFacts() {}

    /** {@code <properties>} of the root pom plus {@code project.version}. */
    public static Map<String, String> rootProperties() {
        Document pom = parse(Manifests.root().resolve("pom.xml"));
        Map<String, String> properties = properties(pom);
        properties.put("project.version", childText(pom.getDocumentElement(), "version"));
        return properties;
    }

    public static String flinkVersion() {
        return rootProperties().get("flink.version");
    }

    public static String projectVersion() {
        return rootProperties().get("project.version");
    }

    /** The operator's name of a Flink version: {@code 2.2.0 -> v2_2}. */
    public static String operatorFlinkVersion(String flinkVersion) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)\\..*$").matcher(flinkVersion);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Flink version: " + flinkVersion);
        }
        return "v" + m.group(1) + "_" + m.group(2);
    }

    /**
     * The file name of the shaded jar a module's pom builds with maven-shade-plugin's {@code
     * outputFile} (or {@code finalName}), with {@code ${...}} resolved against the module's and the
     * root pom's properties; empty when the module does not shade.
     */
    public static Optional<String> shadedJarName(String module) {
        Document pom = parse(Manifests.root().resolve(module).resolve("pom.xml"));
        Map<String, String> properties = rootProperties();
        properties.putAll(properties(pom));
        properties.put("project.artifactId", childText(pom.getDocumentElement(), "artifactId"));
        properties.put("project.build.directory", "target");
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (!"maven-shade-plugin".equals(childText(plugin, "artifactId"))) {
                continue;
            }
            for (String tag : new String[] {"outputFile", "finalName"}) {
                NodeList found = plugin.getElementsByTagName(tag);
                if (found.getLength() > 0) {
                    String value = resolve(found.item(0).getTextContent().trim(), properties);
                    String name = Path.of(value).getFileName().toString();
                    return Optional.of(name.endsWith(".jar") ? name : name + ".jar");
                }
            }
        }
        return Optional.empty();
    }

    static String resolve(String value, Map<String, String> properties) {
        String resolved = value;
        for (int depth = 0; depth < 10 && resolved.contains("${"); depth++) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(resolved);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = properties.getOrDefault(m.group(1), m.group());
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            resolved = out.toString();
        }
        return resolved;
    }

    private static Map<String, String> properties(Document pom) {
        Map<String, String> properties = new HashMap<>();
        for (Node child = pom.getDocumentElement().getFirstChild();
                child != null;
                child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals("properties")) {
                for (Node p = e.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element property) {
                        properties.put(property.getTagName(), property.getTextContent().trim());
                    }
                }
            }
        }
        return properties;
    }

    private static String childText(Element parent, String tag) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static Document parse(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(Files.newInputStream(pom));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }
}
