package dev.rpcparallel.launcher.registry;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;

/**
 * A class loader for registry tests: it sees the META-INF files (service files, worker listings)
 * of its own folder only, while it loads classes from the test class path.
 */
final class IsolatedLoader extends URLClassLoader {
    IsolatedLoader(URL folder, ClassLoader parent) {
        super(new URL[] {folder}, parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith("META-INF/") ? findResources(name) : super.getResources(name);
    }

    @Override
    public URL getResource(String name) {
        return name.startsWith("META-INF/") ? findResource(name) : super.getResource(name);
    }
}
