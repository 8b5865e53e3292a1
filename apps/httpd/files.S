/* apps/httpd/files.S: the site's files (apps/httpd/www/), built into the app's read-only data. */
	.section .rodata.www, "a"
	.balign 16
#define FILE(sym, path) .globl sym, sym##_end; sym: .incbin path; sym##_end:
FILE(www_index_html, "apps/httpd/www/index.html")
FILE(www_style_css, "apps/httpd/www/style.css")
FILE(www_hello_txt, "apps/httpd/www/hello.txt")
FILE(www_1k_html, "apps/httpd/www/1k.html")
	.section .note.GNU-stack,"",@progbits
