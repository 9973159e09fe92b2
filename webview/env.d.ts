// esbuild turns `import './x.css'` into dist/webview/<entry>.css, linked by the host's HTML.
declare module '*.css';
