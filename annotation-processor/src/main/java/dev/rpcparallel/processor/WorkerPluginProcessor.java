package dev.rpcparallel.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes a worker plugin jar's two registration files from the classes annotated with
 * {@code @dev.rpcparallel.spi.RpcParallelWorker("NAME")}:
 * <ul>
 *   <li>{@value #SERVICES}: the binary names of the classes, for {@link java.util.ServiceLoader};
 *   <li>{@value #LISTING}: one line {@code NAME = CLASS} per class, in the order of the names,
 *       which pins the ids of the jar's worker types; the runtime checks at load that the
 *       class's {@code type()} has that name.
 * </ul>
 * An annotated class must be a public, non-abstract, top-level or static nested class that
 * implements {@code dev.rpcparallel.spi.WorkerPlugin} and has a public no-argument
 * constructor, with a valid, unique name; otherwise the compilation fails with an error on the
 * class that names the fix. The files are written once, at the end of processing, from the
 * annotated classes of the whole compilation (a module's full build).
 *
 * <p>This processor depends on nothing but the JDK: it knows the annotation and the plugin
 * interface by name, and finds them on the compilation's class path (the spi).
 */
@SupportedAnnotationTypes(WorkerPluginProcessor.ANNOTATION)
public final class WorkerPluginProcessor extends AbstractProcessor {
    static final String ANNOTATION = "dev.rpcparallel.spi.RpcParallelWorker";
    static final String PLUGIN_INTERFACE = "dev.rpcparallel.spi.WorkerPlugin";
    static final String SERVICES = "META-INF/services/" + PLUGIN_INTERFACE;
    static final String LISTING = "META-INF/rpc-parallel/workers.list";
    private static final String TYPE_NAME = "[A-Za-z][A-Za-z0-9._-]{0,63}";

    /** Type name to binary class name, in name order. */
    private final Map<String, String> plugins = new TreeMap<>();
    private final List<Element> origins = new ArrayList<>();
    private boolean failed;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            if (!failed && !plugins.isEmpty()) {
                write();
            }
            return false;
        }
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation == null) {
            return false;
        }
        for (Element element : round.getElementsAnnotatedWith(annotation)) {
            register(element);
        }
        // Claimed: the annotation is this processor's alone, and an unclaimed one is a lint
        // warning ("No processor claimed any of these annotations") that fails -Werror builds.
        return true;
    }

    private void register(Element element) {
        Elements elements = processingEnv.getElementUtils();
        Types types = processingEnv.getTypeUtils();
        String shown = element.toString();
        if (element.getKind() != ElementKind.CLASS) {
            error(element, "@RpcParallelWorker is on " + shown + ", which is not a class: put it on the class"
                    + " that implements " + PLUGIN_INTERFACE);
            return;
        }
        TypeElement type = (TypeElement) element;
        TypeElement pluginInterface = elements.getTypeElement(PLUGIN_INTERFACE);
        if (pluginInterface == null) {
            error(element, "@RpcParallelWorker on " + shown + ": " + PLUGIN_INTERFACE + " is not on the class path;"
                    + " compile against rpc-parallel-spi");
            return;
        }
        if (!types.isAssignable(types.erasure(type.asType()), types.erasure(pluginInterface.asType()))) {
            error(element, "@RpcParallelWorker is on " + shown + ", which does not implement " + PLUGIN_INTERFACE
                    + ": only a worker plugin class can be registered");
            return;
        }
        if (!type.getModifiers().contains(Modifier.PUBLIC) || type.getModifiers().contains(Modifier.ABSTRACT)
                || (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC))
                || (type.getNestingKind() != NestingKind.TOP_LEVEL && type.getNestingKind() != NestingKind.MEMBER)) {
            error(element, "@RpcParallelWorker is on " + shown + ", which ServiceLoader cannot instantiate: make it a"
                    + " public, non-abstract, top-level or static nested class");
            return;
        }
        boolean constructor = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getModifiers().contains(Modifier.PUBLIC) && c.getParameters().isEmpty());
        if (!constructor) {
            error(element, "@RpcParallelWorker is on " + shown + ", which has no public no-argument constructor:"
                    + " ServiceLoader needs one");
            return;
        }
        String name = nameOf(type);
        if (name.isEmpty()) {
            error(element, "@RpcParallelWorker on " + shown + " gives no worker type name: write"
                    + " @RpcParallelWorker(\"NAME\") with the name of the WorkerType that type() returns");
            return;
        }
        if (!name.matches(TYPE_NAME)) {
            error(element, "@RpcParallelWorker(\"" + name + "\") on " + shown + " is not a valid worker type name:"
                    + " use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter");
            return;
        }
        String binaryName = elements.getBinaryName(type).toString();
        String other = plugins.putIfAbsent(name, binaryName);
        if (other != null && !other.equals(binaryName)) {
            error(element, "@RpcParallelWorker(\"" + name + "\") is on both " + other + " and " + binaryName
                    + ": a worker type name must be unique");
            return;
        }
        origins.add(element);
    }

    private static String nameOf(TypeElement type) {
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            TypeElement annotationType = (TypeElement) mirror.getAnnotationType().asElement();
            if (!annotationType.getQualifiedName().contentEquals(ANNOTATION)) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> value
                    : mirror.getElementValues().entrySet()) {
                if (value.getKey().getSimpleName().contentEquals("value")) {
                    return String.valueOf(value.getValue().getValue()).strip();
                }
            }
        }
        return "";
    }

    private void write() {
        StringBuilder services = new StringBuilder();
        StringBuilder listing = new StringBuilder()
                .append("# Worker types of this jar, written by rpc-parallel-processor from @RpcParallelWorker.\n")
                .append("# One line per type: NAME = PLUGIN CLASS, in the order of the names.\n");
        for (Map.Entry<String, String> plugin : plugins.entrySet()) {
            services.append(plugin.getValue()).append('\n');
            listing.append(plugin.getKey()).append(" = ").append(plugin.getValue()).append('\n');
        }
        writeResource(SERVICES, services.toString());
        writeResource(LISTING, listing.toString());
    }

    private void writeResource(String path, String text) {
        Filer filer = processingEnv.getFiler();
        try {
            FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path,
                    origins.toArray(Element[]::new));
            try (Writer out = file.openWriter()) {
                out.write(text);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "rpc-parallel-processor cannot write " + path + ": " + e);
        }
    }

    private void error(Element element, String message) {
        failed = true;
        Messager messager = processingEnv.getMessager();
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
