package dev.rpcparallel.launcher.startmodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * A class loader that is not a {@link URLClassLoader}, as an application server's or a
 * container's may be: the runtime cannot tell from it which files a worker needs. Loads its own
 * copy of every class from the class path given as the first argument (over the platform class
 * loader: nothing comes from the JVM's class path), then runs {@link StartModesMaster} with it.
 */
public final class OpaqueClassLoader extends ClassLoader {
    private final URLClassLoader files;

    private OpaqueClassLoader(URL[] urls) {
        super("opaque", ClassLoader.getPlatformClassLoader());
        this.files = new URLClassLoader(urls, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        URL resource = files.findResource(name.replace('.', '/') + ".class");
        if (resource == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = resource.openStream()) {
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    protected URL findResource(String name) {
        return files.findResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return files.findResources(name);
    }

    /** {@code CLASSPATH ARGS...}: runs {@link StartModesMaster} with {@code opaque CLASSPATH ARGS...}. */
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        OpaqueClassLoader loader = new OpaqueClassLoader(urls.toArray(URL[]::new));
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> master = loader.loadClass(StartModesMaster.class.getName());
        Method main = master.getMethod("main", String[].class);
        String[] masterArgs = new String[args.length + 1];
        masterArgs[0] = "opaque";
        System.arraycopy(args, 0, masterArgs, 1, args.length);
        main.invoke(null, (Object) masterArgs);
    }
}
